package dev.lensgate.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.server.sync.FakeEmbedder;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/ingest/:lens} on a real gateway (PostgreSQL source, real index, fake embedder):
 * key types, body validation, 202 only once buffered, visibility through the scheduler, debounce
 * and deduplication.
 */
class IngestHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static TestDatabase db;
  private static Gateway gateway;
  private static String env;
  private static String ik;
  private static String sk;
  private static String pk;
  private static String lp;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static String config() {
    StringBuilder b = new StringBuilder("stack: lensgate/v1\nsources:\n  main:\n    type: postgres\nlenses:\n");
    for (String name : List.of("items", "burst", "fulls")) {
      b.append("  ").append(name).append(":\n    source: main\n    table: items\n    primaryKey: id\n    fields:\n")
          .append("      id: { type: integer }\n      title: { type: string, searchable: true }\n");
    }
    return b.toString();
  }

  @BeforeAll
  static void start() {
    db = TestDatabase.postgres();
    db.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, title VARCHAR(100))",
        "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    FakeEmbedder embedder = new FakeEmbedder("fake:8:v1");
    gateway = Gateway.start(new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), Map.of(), 0, 0,
        Duration.ZERO, "ingest-test"), Clock.systemUTC(), Optional.of((e, l) -> embedder));
    env = gateway.store().defaultEnvironment().id();
    try (SecretBytes pw = SecretBytes.fromUtf8(db.password())) {
      gateway.sources().connect(env, "main", db.jdbcUrl(), db.user(), pw);
    }
    gateway.configs().push(env, config());
    gateway.refreshConfigs();
    ik = mint(KeyType.IK, Set.of());
    sk = mint(KeyType.SK, Set.of());
    pk = mint(KeyType.PK, Set.of());
    lp = mint(KeyType.LP, Set.of("items:search"));
    // A new lens is paused until `lensgate sync`; start "items" as the CLI would.
    String job = gateway.syncQueue().request(env, "items", SyncMode.SMART, SyncRequest.ORIGIN_CLI);
    await("first sync", () -> gateway.syncQueue().find(job).orElseThrow().finished());
    assertThat(gateway.indexStates().get(env, "items").orElseThrow().state()).isEqualTo(IndexState.READY);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static String mint(KeyType type, Set<String> scopes) {
    return gateway.keys().create(type, env, "t-" + type, scopes).plaintext().revealUtf8();
  }

  record Reply(int status, JsonNode json) {
    String code() {
      return json.path("error").path("code").asText(null);
    }
  }

  static Reply post(String lens, String key, String body) {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/ingest/" + lens))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
      return new Reply(resp.statusCode(), JSON.readTree(resp.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static boolean indexed(String lens, String id) {
    return gateway.indexes().writer(env, lens).contentHashes(List.of(id)).containsKey(id);
  }

  @Test
  void ingest_ikUpsertThenDelete_202ThenAppliedWithinFiveSeconds() {
    db.execute("INSERT INTO items VALUES (100, 'hundred')");
    long t0 = System.nanoTime();
    Reply r = post("items", ik, "{\"mode\":\"records\",\"changes\":[{\"id\":\"100\",\"action\":\"upsert\"}]}");
    assertThat(r.status()).as("%s", r).isEqualTo(202);
    assertThat(r.json().path("status").asText()).isEqualTo("queued");
    assertThat(r.json().path("changesBuffered").asInt()).isEqualTo(1);
    assertThat(r.json().path("jobId").asText()).isNotBlank();
    await("row 100 indexed", () -> indexed("items", "100"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("ingest 202 -> indexed in %.2f s%n", seconds);
    assertThat(seconds).as("liveness bound").isLessThan(5.0);

    db.execute("DELETE FROM items WHERE id = 100");
    Reply del = post("items", sk, "{\"mode\":\"records\",\"changes\":[{\"id\":100,\"action\":\"delete\"}]}");
    assertThat(del.status()).as("%s", del).isEqualTo(202);
    await("row 100 removed", () -> !indexed("items", "100"));
  }

  @Test
  void javaClient_ingestRecords_roundTripsAndIsApplied() {
    db.execute("INSERT INTO items VALUES (200, 'two hundred')");
    dev.lensgate.client.LensgateClient client = dev.lensgate.client.LensgateClient.builder()
        .baseUrl("http://127.0.0.1:" + gateway.port()).unsafeAllowPlainHttp().apiKey(ik).timeout(Duration.ofSeconds(30))
        .build();
    dev.lensgate.client.IngestResult result = client.ingest("items", dev.lensgate.client.IngestRequest.records(
        List.of(dev.lensgate.client.IngestChange.upsert(200L))));
    assertThat(result.status()).isEqualTo(dev.lensgate.client.IngestResult.Status.QUEUED);
    assertThat(result.changesBuffered()).hasValue(1);
    assertThat(result.jobId()).isNotBlank();
    await("row 200 indexed", () -> indexed("items", "200"));
    db.execute("DELETE FROM items WHERE id = 200");
    post("items", ik, "{\"mode\":\"records\",\"changes\":[{\"id\":200,\"action\":\"upsert\"}]}");
    await("row 200 gone from the source is removed", () -> !indexed("items", "200"));
  }

  @Test
  void ingest_pkAndLpKeys_403KeyTypeNotAllowedAndNothingBuffered() {
    long before = gateway.syncQueue().pendingChanges(env, "fulls");
    for (String key : List.of(pk, lp)) {
      Reply r = post("fulls", key, "{\"mode\":\"records\",\"changes\":[{\"id\":\"1\",\"action\":\"upsert\"}]}");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.code()).isEqualTo("key_type_not_allowed");
    }
    assertThat(gateway.syncQueue().pendingChanges(env, "fulls")).isEqualTo(before);
  }

  @Test
  void ingest_ikKeyOfAnotherEnvironment_404AndNothingBuffered() {
    String other = gateway.environments().create(gateway.store().defaultOrg().id(), "staging").id();
    String otherIk = gateway.keys().create(KeyType.IK, other, "other-ik", Set.of()).plaintext().revealUtf8();
    long before = gateway.syncQueue().pendingChanges(env, "items");
    Reply r = post("items", otherIk, "{\"mode\":\"records\",\"changes\":[{\"id\":\"1\",\"action\":\"delete\"}]}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("lens_not_found");
    assertThat(gateway.syncQueue().pendingChanges(env, "items")).isEqualTo(before);
    assertThat(gateway.syncQueue().pendingChanges(other, "items")).isZero();
  }

  @Test
  void ingest_badBodies_400WithTheirCodes() {
    StringBuilder many = new StringBuilder("{\"mode\":\"records\",\"changes\":[");
    for (int i = 0; i <= 10_000; i++) {
      many.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"action\":\"upsert\"}");
    }
    many.append("]}");
    assertThat(post("fulls", ik, many.toString()).code()).isEqualTo("too_many_changes");
    String dup = "{\"mode\":\"records\",\"changes\":[{\"id\":\"1\",\"action\":\"upsert\"},{\"id\":\"1\",\"action\":\"delete\"}]}";
    assertThat(post("fulls", ik, dup).code()).isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"everything\"}").code()).isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"smart\"}").code()).isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"full\",\"changes\":[{\"id\":\"1\",\"action\":\"upsert\"}]}").code())
        .isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"records\"}").code()).isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"records\",\"changes\":[{\"id\":\"1\",\"action\":\"merge\"}]}").code())
        .isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"records\",\"changes\":[{\"id\":\"1\",\"action\":\"upsert\",\"x\":1}]}")
        .code()).isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":\"records\",\"changes\":[{\"id\":1.5,\"action\":\"upsert\"}]}").code())
        .isEqualTo("invalid_request");
    assertThat(post("fulls", ik, "{\"mode\":").code()).isEqualTo("invalid_json");
    assertThat(post("nosuchlens", ik, "{\"mode\":\"full\"}").code()).isEqualTo("lens_not_found");
    // The limit itself is accepted.
    StringBuilder max = new StringBuilder("{\"mode\":\"records\",\"changes\":[");
    for (int i = 0; i < 10_000; i++) {
      max.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"action\":\"delete\"}");
    }
    max.append("]}");
    Reply ok = post("fulls", ik, max.toString());
    assertThat(ok.status()).as("%s", ok).isEqualTo(202);
    assertThat(ok.json().path("changesBuffered").asInt()).isEqualTo(10_000);
  }

  @Test
  void ingest_burstOf50CallsInOneSecond_oneJob() throws Exception {
    gateway.indexStates().resume(env, "burst");
    Instant start = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<Reply>> calls = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < 50; i++) {
        String id = Integer.toString(i + 1);
        calls.add(pool.submit(() -> post("burst", ik, "{\"mode\":\"records\",\"changes\":[{\"id\":\"" + id
            + "\",\"action\":\"upsert\"}]}")));
      }
      List<String> jobIds = new ArrayList<>();
      for (Future<Reply> c : calls) {
        Reply r = c.get();
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        jobIds.add(r.json().path("jobId").asText());
      }
      System.out.printf("50 ingest calls took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(jobIds).containsOnly(jobIds.get(0));
    } finally {
      pool.shutdownNow();
    }
    await("burst applied", () -> gateway.syncQueue().pendingChanges(env, "burst") == 0);
    List<SyncRequest> jobs = gateway.syncQueue().jobs(env, "burst");
    assertThat(jobs.stream().filter(j -> !j.requestedAt().isBefore(start.minusSeconds(1)))
        .filter(j -> j.origin().equals(SyncRequest.ORIGIN_INGEST)).count()).isEqualTo(1);
    // A never-built index: the job ran as a full build, which covers every id.
    assertThat(gateway.indexes().writer(env, "burst").documentCount()).isEqualTo(3);
  }

  @Test
  void ingest_secondFullWhilePending_deduplicated() {
    // "fulls" stays paused, so its job stays pending.
    Reply a = post("fulls", ik, "{\"mode\":\"full\"}");
    Reply b = post("fulls", sk, "{\"mode\":\"full\"}");
    assertThat(a.status()).isEqualTo(202);
    assertThat(b.status()).isEqualTo(202);
    assertThat(b.json().path("status").asText()).isEqualTo("deduplicated");
    assertThat(b.json().path("jobId").asText()).isEqualTo(a.json().path("jobId").asText());
    assertThat(b.json().has("changesBuffered")).isFalse();
    assertThat(gateway.indexStates().get(env, "fulls").orElseThrow().state()).isEqualTo(IndexState.PAUSED);
  }
}
