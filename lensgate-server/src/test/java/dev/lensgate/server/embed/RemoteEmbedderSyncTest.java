package dev.lensgate.server.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.search.HashingEmbedder;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lens on an OpenAI-compatible embedder, end to end on a real gateway: the config names the
 * embedder, a full sync embeds the PostgreSQL rows over HTTP at the model's default size (1536, as
 * text-embedding-3-small and ada-002 answer when no {@code dimensions} is configured), and semantic
 * search over HTTP finds a row by its meaning's vector. Nothing here replaces the embedder.
 */
class RemoteEmbedderSyncTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MODEL_DIMENSIONS = 1536;
  private static final String[] TITLES = {"red wool scarf", "blue leather boot", "green cotton hat",
      "warm winter coat", "light summer shoe", "classic modern lamp", "soft heavy blanket", "cheap running sock"};

  @TempDir Path dir;
  private TestDatabase db;
  private FakeEmbeddingServer model;
  private Gateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (model != null) {
      model.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void fullSync_embedsThroughTheRemoteModel_andSemanticSearchFindsTheRow() throws Exception {
    db = TestDatabase.postgres();
    db.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, title VARCHAR(100))");
    for (int i = 0; i < TITLES.length; i++) {
      db.execute("INSERT INTO items VALUES (" + (i + 1) + ", '" + TITLES[i] + "')");
    }
    model = new FakeEmbeddingServer();
    HashingEmbedder meaning = new HashingEmbedder(MODEL_DIMENSIONS);
    model.answer = request -> FakeEmbeddingServer.Answer.ok(embeddings(meaning, request));

    gateway = Gateway.start(new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), Map.of(), 0, 0,
        Duration.ZERO, "remote-embedder-test"), Clock.systemUTC());
    String env = gateway.store().defaultEnvironment().id();
    try (SecretBytes pw = SecretBytes.fromUtf8(db.password())) {
      gateway.sources().connect(env, "main", db.jdbcUrl(), db.user(), pw);
    }
    gateway.configs().push(env, "stack: lensgate/v1\n"
        + "sources:\n  main:\n    type: postgres\n"
        + "embedders:\n  remote: { type: openai, url: \"" + model.baseUrl() + "\", model: text-embedding-3-small }\n"
        + "lenses:\n  items:\n    source: main\n    table: items\n    primaryKey: id\n    embedder: remote\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string, searchable: true }\n"
        + "    grants:\n      search: public\n");
    gateway.refreshConfigs();

    String job = gateway.syncQueue().request(env, "items", SyncMode.FULL, SyncRequest.ORIGIN_CLI);
    awaitFinished(() -> gateway.syncQueue().find(job).orElseThrow().finished());
    assertThat(gateway.indexStates().get(env, "items").orElseThrow().state()).isEqualTo(IndexState.READY);
    assertThat(model.requests).isNotEmpty().allSatisfy(seen -> {
      assertThat(seen.body().path("model").asText()).isEqualTo("text-embedding-3-small");
      assertThat(seen.body().has("dimensions")).as("no dimensions configured: none sent").isFalse();
    });

    String pk = gateway.keys().create(KeyType.PK, env, "t", java.util.Set.of()).plaintext().revealUtf8();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/search/items"))
        .header("Authorization", "Bearer " + pk).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"winter coat\",\"mode\":\"semantic\",\"limit\":3}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode results = JSON.readTree(r.body()).path("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).path("sourceRowId").asText()).isEqualTo("4");
  }

  /** An OpenAI-style answer: one {@code MODEL_DIMENSIONS}-wide vector per input, in order. */
  private static String embeddings(HashingEmbedder meaning, JsonNode request) {
    List<String> inputs = new ArrayList<>();
    request.path("input").forEach(n -> inputs.add(n.asText()));
    List<float[]> vectors = meaning.embed(inputs);
    ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", "text-embedding-3-small");
    ArrayNode data = answer.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode embedding = item.putArray("embedding");
      for (float v : vectors.get(i)) {
        embedding.add(v);
      }
    }
    answer.putObject("usage").put("prompt_tokens", 1).put("total_tokens", 1);
    return answer.toString();
  }

  private static void awaitFinished(java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("sync finished in time").isLessThan(end);
      Thread.sleep(25);
    }
  }
}
