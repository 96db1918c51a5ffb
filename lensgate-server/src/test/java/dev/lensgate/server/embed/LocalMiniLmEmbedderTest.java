package dev.lensgate.server.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real quantized MiniLM model, offline: shape, normalization, batching and meaning. */
class LocalMiniLmEmbedderTest {
  @TempDir static Path cache;
  private static LocalMiniLmEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = new LocalMiniLmEmbedder(4, cache.resolve("djl"));
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void id_namesModelAndDimensions() {
    assertThat(embedder.id()).isEqualTo("local:all-minilm-l6-v2-q:384");
    assertThat(embedder.dimensions()).isEqualTo(384);
  }

  @Test
  void embed_paraphrase_isCloserThanAnUnrelatedSentence() {
    List<float[]> v = embedder.embed(List.of(
        "A waterproof jacket for hiking in the rain",
        "Rain coat that keeps you dry on mountain trails",
        "Stainless steel kitchen knife set with wooden block"));
    double paraphrase = dot(v.get(0), v.get(1));
    double unrelated = dot(v.get(0), v.get(2));
    System.out.printf("cosine paraphrase=%.3f unrelated=%.3f%n", paraphrase, unrelated);
    assertThat(paraphrase).isGreaterThan(unrelated + 0.2);
  }

  @Test
  void embed_vectorsHave384DimensionsAndUnitLength() {
    List<float[]> v = embedder.embed(List.of("red shoes", "", "x".repeat(20_000), "ünïcödé — 日本語のテキスト"));
    assertThat(v).hasSize(4);
    for (float[] f : v) {
      assertThat(f).hasSize(384);
      assertThat(Math.sqrt(dot(f, f))).isCloseTo(1.0, within(1e-4));
      for (float x : f) {
        assertThat(Float.isFinite(x)).isTrue();
      }
    }
  }

  @Test
  void embed_batchEqualsOneByOne_inInputOrder() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      texts.add("product " + i + " " + "with a longer description ".repeat(i % 4));
    }
    List<float[]> batched = embedder.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] single = embedder.embed(List.of(texts.get(i))).get(0);
      assertThat(dot(batched.get(i), single)).as("text %d", i).isCloseTo(1.0, within(1e-4));
    }
  }

  @Test
  void embed_isDeterministic() {
    float[] a = embedder.embed(List.of("deterministic text")).get(0);
    float[] b = embedder.embed(List.of("deterministic text")).get(0);
    assertThat(a).containsExactly(b);
  }

  @Test
  void embed_singleQuery_printsLatency() {
    long[] nanos = new long[31];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      assertThat(embedder.embed(List.of("waterproof hiking jacket " + i))).hasSize(1);
      nanos[i] = System.nanoTime() - t0;
    }
    java.util.Arrays.sort(nanos);
    System.out.printf("single short query embed: p50 %.2f ms, max %.2f ms (31 runs)%n", nanos[15] / 1e6, nanos[30] / 1e6);
  }

  @Test
  void embed_emptyList_isEmpty() {
    assertThat(embedder.embed(List.of())).isEmpty();
  }

  @Test
  void embed_afterClose_isEmbeddingFailed() {
    LocalMiniLmEmbedder other = new LocalMiniLmEmbedder(8, cache.resolve("djl"));
    assertThat(other.embed(List.of("warm"))).hasSize(1);
    int holders = SharedMiniLm.PROCESS.holders();
    other.close();
    assertThat(SharedMiniLm.PROCESS.holders()).isEqualTo(holders - 1);
    assertThat(embedder.embed(List.of("the shared model still serves the other holder"))).hasSize(1);
    assertThatThrownBy(() -> other.embed(List.of("secret row text")))
        .isInstanceOfSatisfying(LensgateException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED);
          assertThat(e.getMessage()).doesNotContain("secret row text");
        });
  }

  @Test
  void constructor_badBatchSize_isRejected() {
    assertThatThrownBy(() -> new LocalMiniLmEmbedder(0, cache)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void load_setsDjlOfflineAndOptOutBeforeTheModelLoads() {
    embedder.embed(List.of("load"));
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    assertThat(System.getProperty("DJL_CACHE_DIR")).isNotBlank();
    // The tokenizer's native library is unpacked there, not under ~/.djl.ai. The model is loaded once
    // per JVM, so in a full test run the first loader (possibly another test class, whose temporary
    // directory is gone by now) chose the directory: check the directory is never DJL's default, and
    // its content when it still exists.
    Path cacheDir = Path.of(System.getProperty("DJL_CACHE_DIR"));
    assertThat(cacheDir.toAbsolutePath().normalize())
        .isNotEqualTo(Path.of(System.getProperty("user.home"), ".djl.ai").toAbsolutePath().normalize());
    if (java.nio.file.Files.exists(cacheDir)) {
      assertThat(cacheDir.resolve("tokenizers")).isDirectory();
    }
  }
}
