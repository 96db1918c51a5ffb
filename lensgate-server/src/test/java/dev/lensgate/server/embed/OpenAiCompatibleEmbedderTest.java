package dev.lensgate.server.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import dev.lensgate.core.config.EmbedderConfig;
import dev.lensgate.core.config.EmbedderType;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.testkit.LogCapture;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible embedder against a real local HTTP server: batching, validation, failures, secrecy. */
class OpenAiCompatibleEmbedderTest {
  private static final String SENTINEL_KEY = "sk-SENTINEL-0f3c9a7d52b14e8e9d1a";
  private static final Function<String, String> ENV = name -> name.equals("TEST_EMBED_KEY") ? SENTINEL_KEY : null;

  private FakeEmbeddingServer server;
  private LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture(Map.of("dev.lensgate", Level.DEBUG, "jdk.internal.httpclient", Level.DEBUG));
    server = new FakeEmbeddingServer();
  }

  @AfterEach
  void stop() {
    server.close();
    List<String> lines = logs.lines();
    logs.close();
    assertThat(lines).noneMatch(l -> l.contains(SENTINEL_KEY) || l.contains("SENTINEL"));
  }

  private EmbedderConfig config(int dims, int batchSize, Duration timeout) {
    return config(Optional.of(dims), batchSize, timeout);
  }

  private EmbedderConfig config(Optional<Integer> dims, int batchSize, Duration timeout) {
    return new EmbedderConfig("remote", EmbedderType.OPENAI, Optional.of(URI.create(server.baseUrl())), Optional.of("test-model"),
        dims, Optional.of("TEST_EMBED_KEY"), batchSize, timeout);
  }

  private OpenAiCompatibleEmbedder embedder(int batchSize) {
    return new OpenAiCompatibleEmbedder(config(4, batchSize, Duration.ofSeconds(5)), ENV);
  }

  private static List<String> texts(int n) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t.add("text number " + "x".repeat(i));
    }
    return t;
  }

  private static void assertFails(Runnable call, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(LensgateException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED);
      assertThat(e.getMessage()).contains(messagePart).doesNotContain(SENTINEL_KEY).doesNotContain("text number");
      for (Throwable c = e; c != null; c = c.getCause()) {
        assertThat(String.valueOf(c.getMessage())).doesNotContain(SENTINEL_KEY);
      }
    });
  }

  @Test
  void embed_happyPath_sendsModelInputDimensionsAndBearer_returnsUnitVectors() {
    OpenAiCompatibleEmbedder e = embedder(16);
    List<float[]> v = e.embed(List.of("abc", "abcdefgh"));
    assertThat(v).hasSize(2);
    JsonNode body = server.requests.get(0).body();
    assertThat(body.get("model").asText()).isEqualTo("test-model");
    assertThat(body.get("input")).hasSize(2);
    assertThat(body.get("input").get(1).asText()).isEqualTo("abcdefgh");
    assertThat(body.get("dimensions").asInt()).isEqualTo(4);
    assertThat(server.requests.get(0).authorization()).isEqualTo("Bearer " + SENTINEL_KEY);
    for (float[] f : v) {
      assertThat(f).hasSize(4);
      double norm = 0;
      for (float x : f) {
        norm += x * x;
      }
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-6));
    }
    // [3, 1, 1, 0] normalized: the first component identifies the input.
    assertThat(v.get(0)[0]).isCloseTo((float) (3 / Math.sqrt(11)), within(1e-6f));
    assertThat(e.id()).isEqualTo("openai:127.0.0.1:test-model:4");
    assertThat(e.dimensions()).isEqualTo(4);
  }

  @Test
  void embed_dimensionsNotConfigured_areNotSent_sizeIsTheFirstAnswers_andHeldToAfterwards() {
    // Like text-embedding-ada-002: refuses a dimensions parameter, answers its own size (here 6).
    server.answer = req -> req.has("dimensions")
        ? new FakeEmbeddingServer.Answer(400, "{\"error\":{\"message\":\"This model does not support specifying dimensions.\"}}", 0)
        : FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(((com.fasterxml.jackson.databind.node.ObjectNode) req.deepCopy())
            .put("dimensions", 6), false));
    OpenAiCompatibleEmbedder e = new OpenAiCompatibleEmbedder(config(Optional.empty(), 2, Duration.ofSeconds(5)), ENV);
    assertThat(e.dimensions()).isZero();
    assertThat(e.id()).isEqualTo("openai:127.0.0.1:test-model");
    List<float[]> v = e.embed(texts(3));
    assertThat(v).hasSize(3).allSatisfy(f -> assertThat(f).hasSize(6));
    assertThat(e.dimensions()).isEqualTo(6);
    assertThat(server.requests).hasSize(2).allSatisfy(r -> assertThat(r.body().has("dimensions")).isFalse());
    // Once learned, an answer of another size is refused like a configured mismatch.
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(((com.fasterxml.jackson.databind.node.ObjectNode) req.deepCopy())
        .put("dimensions", 5), false));
    assertFails(() -> e.embed(texts(1)), "5 dimensions, expected 6");
    assertThat(e.dimensions()).isEqualTo(6);
  }

  @Test
  void embed_dimensionsNotConfigured_firstAnswerMixingSizesOrEmpty_failsAndLearnsNothing() {
    OpenAiCompatibleEmbedder e = new OpenAiCompatibleEmbedder(config(Optional.empty(), 16, Duration.ofSeconds(5)), ENV);
    server.answer = req -> FakeEmbeddingServer.Answer.ok(
        "{\"data\":[{\"index\":0,\"embedding\":[1,2,3]},{\"index\":1,\"embedding\":[1,2]}]}");
    assertFails(() -> e.embed(texts(2)), "2 dimensions, expected 3");
    assertThat(e.dimensions()).isZero();
    server.answer = req -> FakeEmbeddingServer.Answer.ok("{\"data\":[{\"index\":0,\"embedding\":[]}]}");
    assertFails(() -> e.embed(texts(1)), "0 dimensions");
    assertThat(e.dimensions()).isZero();
    server.answer = FakeEmbeddingServer::wellBehaved;
    assertThat(e.embed(texts(1)).get(0)).hasSize(4);
    assertThat(e.dimensions()).isEqualTo(4);
  }

  @Test
  void embed_moreThanABatch_splitsIntoRequestsAndKeepsOrder() {
    List<float[]> v = embedder(3).embed(texts(8));
    assertThat(server.requests).extracting(r -> r.body().get("input").size()).containsExactly(3, 3, 2);
    for (int i = 0; i < 8; i++) {
      float[] f = v.get(i);
      double len = "text number ".length() + i;
      // first component / third component = text length (third is 1 before normalization)
      assertThat(f[0] / f[2]).as("item %d", i).isCloseTo((float) len, within(1e-3f));
    }
  }

  @Test
  void embed_outOfOrderIndex_isPutBackInInputOrder() {
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, true));
    List<float[]> v = embedder(16).embed(texts(5));
    for (int i = 0; i < 5; i++) {
      assertThat(v.get(i)[0] / v.get(i)[2]).isCloseTo((float) ("text number ".length() + i), within(1e-3f));
    }
  }

  @Test
  void embed_emptyList_sendsNothing() {
    assertThat(embedder(4).embed(List.of())).isEmpty();
    assertThat(server.requests).isEmpty();
  }

  @Test
  void embed_wrongCount_fails() {
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, false)
        .replaceFirst("\\{\"object\":\"embedding\",\"index\":0,\"embedding\":\\[[^\\]]*\\]\\},", ""));
    assertFails(() -> embedder(16).embed(texts(3)), "2 embeddings for 3 inputs");
  }

  @Test
  void embed_duplicateOrOutOfRangeIndex_fails() {
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, false).replace("\"index\":1", "\"index\":0"));
    assertFails(() -> embedder(16).embed(texts(3)), "twice");
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, false).replace("\"index\":2", "\"index\":7"));
    assertFails(() -> embedder(16).embed(texts(3)), "index");
  }

  @Test
  void embed_wrongDimensions_fails() {
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(((com.fasterxml.jackson.databind.node.ObjectNode) req)
        .put("dimensions", 3), false));
    assertFails(() -> embedder(16).embed(texts(2)), "3 dimensions, expected 4");
  }

  @Test
  void embed_nonFiniteOrNonNumericValues_fail() {
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, false).replace("[12.0,", "[NaN,"));
    assertFails(() -> embedder(16).embed(List.of("a", "text number ")), "malformed JSON");
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, false).replace("[12.0,", "[1e999,"));
    assertFails(() -> embedder(16).embed(List.of("text number ")), "finite");
    server.answer = req -> FakeEmbeddingServer.Answer.ok(FakeEmbeddingServer.data(req, false).replace("[12.0,", "[\"1\","));
    assertFails(() -> embedder(16).embed(List.of("text number ")), "finite");
    server.answer = req -> FakeEmbeddingServer.Answer.ok("{\"data\":[{\"index\":0,\"embedding\":[0,0,0,0]}]}");
    assertFails(() -> embedder(16).embed(List.of("text number ")), "zero vector");
  }

  @Test
  void embed_malformedAnswers_fail() {
    server.answer = req -> FakeEmbeddingServer.Answer.ok("not json " + SENTINEL_KEY);
    assertFails(() -> embedder(16).embed(texts(1)), "malformed JSON");
    server.answer = req -> FakeEmbeddingServer.Answer.ok("{\"object\":\"list\"}");
    assertFails(() -> embedder(16).embed(texts(1)), "without a data list");
    server.answer = req -> FakeEmbeddingServer.Answer.ok("{\"data\":[{\"index\":0}]}");
    assertFails(() -> embedder(16).embed(texts(1)), "without an embedding list");
  }

  @Test
  void embed_401_failsWithoutEchoingTheBodyOrKey() {
    server.answer = req -> new FakeEmbeddingServer.Answer(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: " + SENTINEL_KEY + " for text number\"}}", 0);
    assertFails(() -> embedder(16).embed(texts(2)), "HTTP 401");
  }

  @Test
  void embed_500_fails() {
    server.answer = req -> new FakeEmbeddingServer.Answer(500, "{\"error\":\"boom\"}", 0);
    assertFails(() -> embedder(16).embed(texts(2)), "HTTP 500");
  }

  @Test
  void embed_slowServer_timesOut() {
    server.answer = req -> new FakeEmbeddingServer.Answer(200, FakeEmbeddingServer.data(req, false), 3_000);
    OpenAiCompatibleEmbedder e = new OpenAiCompatibleEmbedder(config(4, 16, Duration.ofSeconds(1)), ENV);
    long t0 = System.nanoTime();
    assertFails(() -> e.embed(texts(1)), "within 1s");
    System.out.printf("timeout surfaced after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void embed_unreachable_fails() {
    String url = server.baseUrl();
    server.close();
    EmbedderConfig c = new EmbedderConfig("remote", EmbedderType.OPENAI, Optional.of(URI.create(url)), Optional.of("m"),
        Optional.of(4), Optional.of("TEST_EMBED_KEY"), 8, Duration.ofSeconds(2));
    assertFails(() -> new OpenAiCompatibleEmbedder(c, ENV).embed(texts(1)), "could not be reached");
  }

  @Test
  void embed_oversizedAnswer_isRefused() {
    StringBuilder huge = new StringBuilder("{\"data\":[{\"index\":0,\"embedding\":[1,0,0,0]}],\"pad\":\"");
    huge.append("x".repeat(200_000)).append("\"}");
    server.answer = req -> FakeEmbeddingServer.Answer.ok(huge.toString());
    assertFails(() -> embedder(16).embed(texts(1)), "more than");
  }

  @Test
  void constructor_missingKeyVariable_namesTheVariableOnly() {
    EmbedderConfig c = new EmbedderConfig("remote", EmbedderType.OPENAI, Optional.of(URI.create(server.baseUrl())), Optional.of("m"),
        Optional.of(4), Optional.of("UNSET_VARIABLE"), 8, Duration.ofSeconds(2));
    assertThatThrownBy(() -> new OpenAiCompatibleEmbedder(c, ENV)).isInstanceOfSatisfying(LensgateException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED);
      assertThat(e.getMessage()).contains("UNSET_VARIABLE");
    });
  }

  @Test
  void embed_withoutApiKeyEnv_sendsNoAuthorization() {
    EmbedderConfig c = new EmbedderConfig("remote", EmbedderType.OPENAI, Optional.of(URI.create(server.baseUrl())), Optional.of("m"),
        Optional.of(4), Optional.empty(), 8, Duration.ofSeconds(2));
    assertThat(new OpenAiCompatibleEmbedder(c, ENV).embed(texts(1))).hasSize(1);
    assertThat(server.requests.get(0).authorization()).isNull();
  }

  @Test
  void close_wipesTheKey_furtherCallsFail() {
    OpenAiCompatibleEmbedder e = embedder(4);
    e.close();
    assertFails(() -> e.embed(texts(1)), "closed");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void toStringAndMessages_neverHoldTheKey() {
    OpenAiCompatibleEmbedder e = embedder(4);
    assertThat(e.toString()).doesNotContain(SENTINEL_KEY);
  }
}
