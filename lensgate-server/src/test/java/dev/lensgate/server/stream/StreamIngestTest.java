package dev.lensgate.server.stream;

import static dev.lensgate.server.stream.StreamClient.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a real gateway: rows change in PostgreSQL, {@code POST /v1/ingest} buffers the
 * ids, sync applies them to the index and hands each applied change to the hub, and a subscriber
 * (rule-free grant, own where) and an observer receive them over the WebSocket; a row whose
 * content did not change emits nothing.
 */
class StreamIngestTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  void ingestedChanges_reachSubscribersAndObservers_unchangedRowsEmitNothing() throws Exception {
    try (TestDatabase db = TestDatabase.postgres(); StreamGateway gw = new StreamGateway(dir, Map.of())) {
      db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, owner VARCHAR(20), amount INTEGER)",
          "INSERT INTO orders VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 30), (6, 'b', 60)");
      String env = gw.defaultEnv();
      try (SecretBytes pw = SecretBytes.fromUtf8(db.password())) {
        gw.gateway().sources().connect(env, "main", db.jdbcUrl(), db.user(), pw);
      }
      gw.push(env, "stack: lensgate/v1\nsources:\n  main:\n    type: postgres\nlenses:\n  orders:\n    source: main\n"
          + "    table: orders\n    primaryKey: id\n    fields:\n      id: { type: integer }\n      owner: { type: string }\n"
          + "      amount: { type: integer }\n    grants:\n      subscribe: public\n");
      String first = gw.gateway().syncQueue().request(env, "orders", SyncMode.SMART, SyncRequest.ORIGIN_CLI);
      StreamEdgesTest.awaitTrue(() -> gw.gateway().syncQueue().find(first).orElseThrow().finished(), "first sync");
      StreamGateway.Key pk = gw.mint(KeyType.PK, env);
      StreamGateway.Key ik = gw.mint(KeyType.IK, env);

      try (StreamClient c = StreamClient.connect(gw.port(), pk.plaintext(), null)) {
        c.observe("one", "orders", "1");
        JsonNode record = c.next(WAIT);
        assertThat(record.path("type").asText()).isEqualTo("record");
        assertThat(record.path("record").path("amount").asInt()).isEqualTo(10);
        c.subscribe("mine", "orders", "{\"owner\":\"a\"}");
        awaitSubscriptions(gw, pk.id(), 2);

        db.execute("UPDATE orders SET amount = 11 WHERE id = 1", "INSERT INTO orders VALUES (4, 'a', 40)",
            "DELETE FROM orders WHERE id = 2", "INSERT INTO orders VALUES (5, 'b', 50)");
        ingest(gw, ik, "[{\"id\":1,\"action\":\"upsert\"},{\"id\":4,\"action\":\"upsert\"},{\"id\":2,\"action\":\"delete\"},"
            + "{\"id\":5,\"action\":\"upsert\"},{\"id\":3,\"action\":\"upsert\"}]");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          JsonNode f = c.next(WAIT);
          assertThat(f.path("type").asText()).isEqualTo("event");
          seen.add(f.path("id").asText() + " " + f.path("kind").asText() + " " + f.path("record"));
        }
        assertThat(seen).containsExactlyInAnyOrder(
            "one update {\"id\":1,\"owner\":\"a\",\"amount\":11}",
            "mine update {\"id\":1,\"owner\":\"a\",\"amount\":11}",
            "mine insert {\"id\":4,\"owner\":\"a\",\"amount\":40}",
            "mine delete {\"id\":2}");

        // A marker after everything above was delivered: nothing for the unchanged row 3 (or for b's row 5) came before it.
        gw.drained();
        db.execute("UPDATE orders SET amount = 41 WHERE id = 4");
        ingest(gw, ik, "[{\"id\":4,\"action\":\"upsert\"}]");
        JsonNode marker = c.next(WAIT);
        assertThat(marker.path("record").path("id").asLong()).isEqualTo(4);
        assertThat(marker.path("record").path("amount").asInt()).isEqualTo(41);
      }
    }
  }

  private static void ingest(StreamGateway gw, StreamGateway.Key ik, String changes) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gw.port() + "/v1/ingest/orders"))
        .header("Authorization", "Bearer " + ik.plaintext()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"records\",\"changes\":" + changes + "}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  private static void awaitSubscriptions(StreamGateway gw, String keyId, int n) {
    StreamEdgesTest.awaitTrue(() -> gw.gateway().streamEndpoint().subscriptions(keyId) == n, "subscriptions");
  }
}
