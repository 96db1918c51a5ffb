package dev.lensgate.server.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving a lens's embedder against its environment's config, caching and closing. */
class EmbeddersTest {
  @TempDir Path cache;
  private final Map<String, LensgateConfig> active = new ConcurrentHashMap<>();

  private static LensgateConfig config(String embedders, String productsEmbedder) {
    String yaml = "stack: lensgate/v1\nsources: { s: { type: h2 } }\n" + embedders
        + "lenses:\n"
        + "  products:\n    source: s\n    table: p\n    primaryKey: id\n    embedder: " + productsEmbedder + "\n"
        + "    fields: { id: { type: integer }, name: { type: string, searchable: true } }\n"
        + "  notes:\n    source: s\n    table: n\n    primaryKey: id\n"
        + "    fields: { id: { type: integer }, body: { type: string, searchable: true } }\n";
    ConfigResult r = ConfigLoader.parse(yaml, "x.yaml");
    assertThat(r.errors()).isEmpty();
    return r.config().orElseThrow();
  }

  private static final String REMOTE = "embedders:\n  remote: { type: openai, url: \"https://embed.example.com/v1\", model: m1, "
      + "dimensions: 8, apiKeyEnv: K }\n";

  private Embedders embedders() {
    return new Embedders(env -> Optional.ofNullable(active.get(env)), cache, name -> name.equals("K") ? "secret-value" : null);
  }

  @Test
  void forLens_defaultLocal_isOneInstanceAcrossLensesAndEnvironments() {
    active.put("envA", config("", "local"));
    active.put("envB", config("", "local"));
    try (Embedders e = embedders()) {
      LensgateConfig a = active.get("envA");
      Embedder first = e.forLens("envA", a.lens("products").orElseThrow());
      assertThat(first).isInstanceOf(LocalMiniLmEmbedder.class);
      assertThat(first.id()).isEqualTo("local:all-minilm-l6-v2-q:384");
      assertThat(e.forLens("envA", a.lens("notes").orElseThrow())).isSameAs(first);
      assertThat(e.forLens("envB", active.get("envB").lens("notes").orElseThrow())).isSameAs(first);
    }
  }

  @Test
  void forLens_localWithOtherBatchSize_isItsOwnInstanceOnTheSharedModel() {
    active.put("envA", config("embedders:\n  fast: { type: local, batchSize: 64 }\n", "fast"));
    try (Embedders e = embedders()) {
      Embedder fast = e.forLens("envA", active.get("envA").lens("products").orElseThrow());
      Embedder plain = e.forLens("envA", active.get("envA").lens("notes").orElseThrow());
      assertThat(((LocalMiniLmEmbedder) fast).batchSize()).isEqualTo(64);
      assertThat(((LocalMiniLmEmbedder) plain).batchSize()).isEqualTo(32);
      assertThat(fast.id()).isEqualTo(plain.id());
    }
  }

  @Test
  void forLens_remote_isCachedPerEnvironmentAndReplacedWhenItsSettingsChange() {
    active.put("envA", config(REMOTE, "remote"));
    active.put("envB", config(REMOTE, "remote"));
    try (Embedders e = embedders()) {
      Embedder a1 = e.forLens("envA", active.get("envA").lens("products").orElseThrow());
      assertThat(a1).isInstanceOf(OpenAiCompatibleEmbedder.class);
      assertThat(a1.id()).isEqualTo("openai:embed.example.com:m1:8");
      assertThat(e.forLens("envA", active.get("envA").lens("products").orElseThrow())).isSameAs(a1);
      assertThat(e.forLens("envB", active.get("envB").lens("products").orElseThrow())).isNotSameAs(a1);

      active.put("envA", config(REMOTE.replace("m1", "m2"), "remote"));
      Embedder a2 = e.forLens("envA", active.get("envA").lens("products").orElseThrow());
      assertThat(a2).isNotSameAs(a1);
      assertThat(a2.id()).isEqualTo("openai:embed.example.com:m2:8");

      // Dropping dimensions (a fixed-size model) is another embedder with another id: the index is rebuilt.
      active.put("envA", config(REMOTE.replace("m1", "m2").replace("dimensions: 8, ", ""), "remote"));
      Embedder a3 = e.forLens("envA", active.get("envA").lens("products").orElseThrow());
      assertThat(a3).isNotSameAs(a2);
      assertThat(a3.id()).isEqualTo("openai:embed.example.com:m2");
    }
  }

  @Test
  void forLens_resolvesAgainstTheActiveConfigNotTheLensObject() {
    LensgateConfig old = config(REMOTE, "remote");
    active.put("envA", config("", "local"));
    try (Embedders e = embedders()) {
      // The lens from an older config names "remote", which the active config no longer declares.
      assertThatThrownBy(() -> e.forLens("envA", old.lens("products").orElseThrow()))
          .isInstanceOfSatisfying(LensgateException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED));
    }
  }

  @Test
  void forLens_environmentWithoutConfig_isEmbeddingFailed() {
    LensgateConfig c = config("", "local");
    try (Embedders e = embedders()) {
      assertThatThrownBy(() -> e.forLens("nope", c.lens("products").orElseThrow()))
          .isInstanceOfSatisfying(LensgateException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED));
    }
  }

  @Test
  void forLens_missingKeyVariable_isEmbeddingFailedNamingIt() {
    active.put("envA", config(REMOTE.replace("apiKeyEnv: K", "apiKeyEnv: MISSING_KEY"), "remote"));
    try (Embedders e = embedders()) {
      assertThatThrownBy(() -> e.forLens("envA", active.get("envA").lens("products").orElseThrow()))
          .isInstanceOfSatisfying(LensgateException.class, x -> {
            assertThat(x.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED);
            assertThat(x.getMessage()).contains("MISSING_KEY");
          });
    }
  }

  @Test
  void close_closesEmbeddersAndRefusesNewLookups() {
    active.put("envA", config(REMOTE, "remote"));
    Embedders e = embedders();
    Embedder remote = e.forLens("envA", active.get("envA").lens("products").orElseThrow());
    Embedder local = e.forLens("envA", active.get("envA").lens("notes").orElseThrow());
    e.close();
    assertThatThrownBy(() -> remote.embed(List.of("x"))).isInstanceOf(LensgateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> local.embed(List.of("x"))).isInstanceOf(LensgateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> e.forLens("envA", active.get("envA").lens("notes").orElseThrow()))
        .isInstanceOf(LensgateException.class);
  }
}
