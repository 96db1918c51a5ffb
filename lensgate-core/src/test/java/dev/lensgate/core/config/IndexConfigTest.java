package dev.lensgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Indexing settings of lenses ({@code searchable} weights, embedder, sync) and {@code embedders:}. */
class IndexConfigTest {
  private static final String HEAD = ProductsYaml.HEAD // ends at line 10
      + "      name: { type: string }\n"                 // 11
      + "      flag: { type: boolean }\n"                // 12
      + "      day: { type: date }\n"                    // 13
      + "      version: { type: integer }\n";            // 14

  private static List<String> errorsAt(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.config()).isEmpty();
    return r.errors().stream().map(p -> p.line() + ":" + p.column() + " " + p.path()).collect(Collectors.toList());
  }

  private static Problem onlyError(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.errors()).as("errors").hasSize(1);
    return r.errors().get(0);
  }

  private static LensgateConfig ok(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "lensgate.yaml");
    assertThat(r.errors()).isEmpty();
    return r.config().orElseThrow();
  }

  @Test
  void parse_fullExample_readsEveryIndexSetting() {
    LensgateConfig c = ok(ConfigLoaderTest.resource("full.yaml"));
    IndexSettings products = c.lens("products").orElseThrow().index();
    assertThat(products.weights()).containsExactly(Map.entry("name", 3), Map.entry("description", 1));
    assertThat(products.embedder()).isEqualTo("openai_small");
    assertThat(products.changeTrackingField()).contains("updatedAt");
    assertThat(products.syncInterval()).contains(Duration.ofMinutes(5));
    assertThat(products.smartSyncInterval()).contains(Duration.ofMinutes(90));

    IndexSettings customers = c.lens("customers").orElseThrow().index();
    assertThat(customers.weights()).isEmpty();
    assertThat(customers.embedder()).isEqualTo("local");
    assertThat(customers.syncInterval()).contains(Duration.ofSeconds(10));
    assertThat(customers.smartSyncInterval()).isEmpty();
    assertThat(customers.changeTrackingField()).isEmpty();

    assertThat(c.embedders().keySet()).containsExactly("local", "openai_small");
    assertThat(c.embedders().get("local")).isEqualTo(EmbedderConfig.local("local", 16));
    EmbedderConfig openai = c.embedderOf(c.lens("products").orElseThrow());
    assertThat(openai.type()).isEqualTo(EmbedderType.OPENAI);
    assertThat(openai.url()).contains(URI.create("https://api.openai.com/v1"));
    assertThat(openai.model()).contains("text-embedding-3-small");
    assertThat(openai.dimensions()).contains(1536);
    assertThat(openai.apiKeyEnv()).contains("OPENAI_API_KEY");
    assertThat(openai.batchSize()).isEqualTo(64);
    assertThat(openai.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void parse_noIndexSettings_defaultsToLocalAndNoSchedule() {
    LensgateConfig c = ok(HEAD);
    LensConfig lens = c.lens("products").orElseThrow();
    assertThat(lens.index()).isEqualTo(IndexSettings.defaults(List.of()));
    assertThat(c.embedders()).containsOnlyKeys("local");
    assertThat(c.embedderOf(lens)).isEqualTo(EmbedderConfig.builtInLocal());
  }

  @Test
  void parse_searchableForms_giveWeights() {
    LensgateConfig c = ok(HEAD + "      a: { type: string, searchable: true }\n      b: { type: string, searchable: false }\n"
        + "      c: { type: string, searchable: { weight: 10 } }\n      d: { type: string, searchable: { weight: 1 } }\n");
    LensConfig lens = c.lens("products").orElseThrow();
    assertThat(lens.index().weights()).containsExactly(Map.entry("a", 1), Map.entry("c", 10), Map.entry("d", 1));
    assertThat(lens.searchableFields()).containsExactly("a", "c", "d");
    assertThat(lens.index().weight("b")).isZero();
  }

  @Test
  void parse_badSearchable_eachReportedAtItsValue() {
    String yaml = HEAD
        + "      a: { type: string, searchable: yes }\n"                    // 15
        + "      b: { type: string, searchable: { weight: 0 } }\n"          // 16
        + "      c: { type: string, searchable: { weight: 11 } }\n"         // 17
        + "      d: { type: string, searchable: { weight: 2.5 } }\n"        // 18
        + "      e: { type: string, searchable: { wieght: 2 } }\n"          // 19
        + "      f: { type: string, searchable: [1] }\n"                    // 20
        + "      g: { type: string, searchable: { weight: 2, boost: 1 } }\n"; // 21
    assertThat(errorsAt(yaml)).containsExactly(
        "15:38 lenses.products.fields.a.searchable",
        "16:48 lenses.products.fields.b.searchable.weight",
        "17:48 lenses.products.fields.c.searchable.weight",
        "18:48 lenses.products.fields.d.searchable.weight",
        "19:38 lenses.products.fields.e.searchable.weight",
        "19:40 lenses.products.fields.e.searchable.wieght",
        "20:38 lenses.products.fields.f.searchable",
        "21:51 lenses.products.fields.g.searchable.boost");
  }

  @Test
  void parse_changeTracking_mustBeADeclaredGrowingField() {
    assertThat(ok(HEAD + "    changeTrackingColumn: version\n").lens("products").orElseThrow().index().changeTrackingField())
        .contains("version");
    Problem undeclared = onlyError(HEAD + "    changeTrackingColumn: versoin\n");
    assertThat(undeclared.line() + ":" + undeclared.column() + " " + undeclared.path())
        .isEqualTo("15:27 lenses.products.changeTrackingColumn");
    assertThat(undeclared.message()).contains("not a declared field").contains("did you mean 'version'?");
    Problem wrongType = onlyError(HEAD + "    changeTrackingColumn: name\n");
    assertThat(wrongType.line()).isEqualTo(15);
    assertThat(wrongType.message()).contains("string field").contains("integer, number or timestamp");
    assertThat(onlyError(HEAD + "    changeTrackingColumn: flag\n").message()).contains("boolean field");
    assertThat(onlyError(HEAD + "    changeTrackingColumn: day\n").message()).contains("date field");
  }

  @Test
  void parse_intervals_boundsAndForms() {
    LensConfig lens = ok(HEAD + "    syncInterval: 10s\n    smartSyncInterval: 1d\n").lens("products").orElseThrow();
    assertThat(lens.index().syncInterval()).contains(Duration.ofSeconds(10));
    assertThat(lens.index().smartSyncInterval()).contains(Duration.ofDays(1));
    Map<String, String> bad = Map.of(
        "9s", "between 10s and 30d",
        "0s", "positive",
        "0", "positive",
        "-5m", "positive",
        "300", "bare number",
        "5 minutes", "duration like",
        "31d", "between 10s and 30d",
        "\"\"", "must not be empty",
        "[5m]", "expected a duration");
    bad.forEach((value, message) -> {
      Problem p = onlyError(HEAD + "    syncInterval: " + value + "\n");
      assertThat(p.path()).as(value).isEqualTo("lenses.products.syncInterval");
      assertThat(p.line()).as(value).isEqualTo(15);
      assertThat(p.column()).as(value).isEqualTo(19);
      assertThat(p.message()).as(value).contains(message);
    });
    assertThat(onlyError(HEAD + "    smartSyncInterval: 0m\n").path()).isEqualTo("lenses.products.smartSyncInterval");
  }

  @Test
  void parse_undeclaredEmbedder_isReportedAtTheLens() {
    Problem p = onlyError(HEAD + "    embedder: openai_smal\nembedders:\n"
        + "  openai_small: { type: openai, url: \"https://api.example.com/v1\", model: m, dimensions: 8 }\n");
    assertThat(p.line() + ":" + p.column() + " " + p.path()).isEqualTo("15:15 lenses.products.embedder");
    assertThat(p.message()).contains("unknown embedder 'openai_smal'").contains("did you mean 'openai_small'?");
    assertThat(onlyError(HEAD + "    embedder: remote\n").message()).contains("declared: local");
  }

  @Test
  void parse_embedderThatFailedToRead_isNotAlsoUnknownAtTheLens() {
    assertThat(errorsAt(HEAD + "    embedder: e\nembedders:\n  e: { type: openai, url: \"ftp://x\", model: m, dimensions: 8 }\n"))
        .containsExactly("17:27 embedders.e.url");
  }

  @Test
  void parse_localEmbedder_onlyTakesBatchSize() {
    LensgateConfig c = ok(HEAD + "    embedder: fast\nembedders:\n  fast: { type: local, batchSize: 64 }\n");
    assertThat(c.embedderOf(c.lens("products").orElseThrow())).isEqualTo(EmbedderConfig.local("fast", 64));
    assertThat(c.embedders().get("local")).isEqualTo(EmbedderConfig.builtInLocal());
    assertThat(errorsAt("stack: lensgate/v1\nembedders:\n  local: { type: local, model: x, batchSize: 0 }\n"))
        .containsExactly("3:25 embedders.local.model", "3:46 embedders.local.batchSize");
  }

  @Test
  void parse_localNameWithAnotherType_isAnError() {
    Problem p = onlyError("stack: lensgate/v1\nembedders:\n  local: { type: openai, url: \"https://x.example\", model: m, dimensions: 8 }\n");
    assertThat(p.line() + ":" + p.column() + " " + p.path()).isEqualTo("3:18 embedders.local.type");
    assertThat(p.message()).contains("built-in");
  }

  @Test
  void parse_openAiEmbedderErrors_eachReported() {
    String yaml = "stack: lensgate/v1\nembedders:\n"
        + "  a: { type: openai, url: \"http://api.example.com/v1\", model: m, dimensions: 8 }\n"     // 3
        + "  b: { type: openai, url: \"https://u:p@api.example.com\", model: m, dimensions: 8 }\n"   // 4
        + "  c: { type: openai, model: m, dimensions: 0 }\n"                                      // 5
        + "  d: { type: openai, url: \"https://x.example\", model: m, dimensions: x }\n"           // 6
        + "  e: { type: openai, url: \"https://x.example\", model: m, dimensions: 8, timeout: 0s }\n" // 7
        + "  f: { type: openai, url: \"https://x.example\", model: m, dimensions: 8, batchSize: 5000 }\n" // 8
        + "  g: { type: cohere }\n"                                                               // 9
        + "  h: { type: openai, url: \"https://x.example\", model: m, dimensions: 8, apiKey: K }\n" // 10
        + "  1x: { type: local }\n";                                                              // 11
    assertThat(errorsAt(yaml)).containsExactly(
        "3:27 embedders.a.url",
        "4:27 embedders.b.url",
        "5:6 embedders.c.url",
        "5:44 embedders.c.dimensions",
        "6:70 embedders.d.dimensions",
        "7:82 embedders.e.timeout",
        "8:84 embedders.f.batchSize",
        "9:14 embedders.g.type",
        "10:73 embedders.h.apiKey",
        "11:3 embedders.1x");
  }

  @Test
  void parse_openAiEmbedderWithoutDimensions_isValid_andLeavesThemUnset() {
    // Fixed-size models (text-embedding-ada-002) refuse a dimensions parameter: it is optional.
    LensgateConfig c = ok("stack: lensgate/v1\nembedders:\n  ada: { type: openai, url: \"https://x.example/v1\", "
        + "model: text-embedding-ada-002 }\n");
    assertThat(c.embedders().get("ada").dimensions()).isEmpty();
    assertThat(c.embedders().get("ada").model()).contains("text-embedding-ada-002");
    assertThat(errorsAt("stack: lensgate/v1\nembedders:\n  e: { type: openai, url: \"https://x.example\", model: m, "
        + "dimensions: 9000 }\n")).containsExactly("3:70 embedders.e.dimensions");
  }

  @Test
  void parse_loopbackHttp_isAllowed() {
    for (String url : new String[] {"http://localhost:11434/v1", "http://127.0.0.1:8080", "http://[::1]:9000/v1/"}) {
      LensgateConfig c = ok("stack: lensgate/v1\nembedders:\n  e: { type: openai, url: \"" + url + "\", model: m, dimensions: 8 }\n");
      assertThat(c.embedders().get("e").url().orElseThrow().toString()).as(url).doesNotEndWith("/");
    }
    assertThat(onlyError("stack: lensgate/v1\nembedders:\n  e: { type: openai, url: \"http://127.0.0.1.evil.example\", model: m, dimensions: 8 }\n")
        .message()).contains("must be https");
  }

  @Test
  void parse_apiKeyInsteadOfVariableName_isRefusedWithoutEchoingIt() {
    String[] keys = {
        "sk-proj-Abc123def456ghi789jkl012mno345",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "a8f5f167f44f4964e6c998dee827110c",
        "AKIAIOSFODNN7EXAMPLE123",
        "Bearer abc"};
    for (String key : keys) {
      ConfigResult r = ConfigLoader.parse("stack: lensgate/v1\nembedders:\n  e: { type: openai, url: \"https://x.example\", "
          + "model: m, dimensions: 8, apiKeyEnv: \"" + key + "\" }\n", "lensgate.yaml");
      assertThat(r.errors()).as(key).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo("embedders.e.apiKeyEnv");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.column()).isEqualTo(84);
        assertThat(p.message()).contains("never the key itself").doesNotContain(key);
        assertThat(p.toString()).doesNotContain(key);
      });
    }
    for (String name : new String[] {"OPENAI_API_KEY", "AZURE_OPENAI_KEY_2", "my_embedder_key"}) {
      assertThat(ok("stack: lensgate/v1\nembedders:\n  e: { type: openai, url: \"https://x.example\", model: m, dimensions: 8, "
          + "apiKeyEnv: " + name + " }\n").embedders().get("e").apiKeyEnv()).as(name).contains(name);
    }
  }

  @Test
  void parse_embeddersNotAMapping_isAnError() {
    assertThat(errorsAt("stack: lensgate/v1\nembedders: [local]\n")).containsExactly("2:12 embedders");
    assertThat(errorsAt("stack: lensgate/v1\nembedders:\n  e: openai\n")).containsExactly("3:6 embedders.e");
  }

  @Test
  void lensgateConfig_lensWithUnknownEmbedder_isRejected() {
    LensgateConfig c = ok(HEAD + "    embedder: fast\nembedders:\n  fast: { type: local }\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LensgateConfig(c.stack(), Optional.empty(), c.sources(),
        c.lenses(), c.defaults())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fast");
  }
}
