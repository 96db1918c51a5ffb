package dev.lensgate.server.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerStore;
import dev.lensgate.server.store.SourceAssignmentStore;
import dev.lensgate.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator side of runners against a real gateway: a CLI assignment sends a source whose
 * config has no {@code runners:} through a runner within one config poll; an rk_ rotation keeps
 * the runner's identity (old token during grace, new token at once); a revocation made by another
 * store client (as {@code lensgate runners revoke} does) closes the open socket.
 */
class RunnerOperatorGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CONFIG_POLL_MS = 200;

  @TempDir
  Path dataDir;
  private Gateway gateway;
  private TestDatabase db;
  private String envId;
  private String sk;
  private CreatedRunner edge1;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    db = TestDatabase.h2();
    db.execute("CREATE TABLE \"items\" (\"id\" BIGINT PRIMARY KEY, \"title\" VARCHAR(100))",
        "INSERT INTO \"items\" VALUES (1, 'direct')");
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0),
        Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, "5000"), 0, 0, Duration.ofMillis(CONFIG_POLL_MS), "operator-test");
    gateway = Gateway.start(settings, Clock.systemUTC());
    envId = gateway.store().defaultEnvironment().id();
    sk = gateway.keys().create(KeyType.SK, envId, "test", Set.of()).plaintext().revealUtf8();
    edge1 = gateway.runners().create(gateway.store().defaultOrg().id(), "edge-1");
    try (SecretBytes pw = SecretBytes.fromUtf8(db.password())) {
      gateway.sources().connect(envId, "plain", db.jdbcUrl(), db.user(), pw);
    }
    gateway.configs().push(envId, "stack: lensgate/v1\n"
        + "sources:\n  plain:\n    type: h2\n"
        + "lenses:\n  items:\n    source: plain\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string }\n"
        + "    grants:\n      query: public\n"
        + "defaults:\n  grants: strict\n");
    gateway.refreshConfigs();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private HttpResponse<String> query() throws Exception {
    return queryAsync().get(15, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> queryAsync() {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/query/items"))
        .header("Authorization", "Bearer " + sk).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  private FakeRunner connect(String token, String expectedRunnerId) throws Exception {
    FakeRunner r = FakeRunner.connect(gateway.port(), token).get(10, TimeUnit.SECONDS);
    assertThat(r.next("hello").path("runnerId").asText()).isEqualTo(expectedRunnerId);
    r.heartbeat("plain");
    return r;
  }

  private static int handshakeStatus(CompletableFuture<FakeRunner> attempt) {
    try {
      attempt.get(10, TimeUnit.SECONDS).close();
      throw new AssertionError("connection was accepted");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The job the query became, or null if the query was answered without one (read directly). */
  private static JsonNode awaitJobOrAnswer(FakeRunner r, CompletableFuture<HttpResponse<String>> answer)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      JsonNode f = r.received.poll(10, TimeUnit.MILLISECONDS);
      if (f != null && "job".equals(f.path("type").asText())) {
        return f;
      }
      if (answer.isDone()) {
        return null;
      }
    }
    throw new AssertionError("neither a job nor an answer within 10 s");
  }

  /** Waits for the session to be registered and healthy (the heartbeat was handled). */
  private void awaitSession(String runnerId) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (gateway.runnerSessions().openSessions(runnerId) == 0) {
      assertThat(System.nanoTime()).as("session registered within 10 s").isLessThan(end);
      Thread.sleep(20);
    }
  }

  @Test
  void assign_sourceWithoutRunnersInConfig_isReadThroughTheRunnerWithinOnePoll_unassignGoesDirectAgain() throws Exception {
    HttpResponse<String> direct = query();
    assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
    assertThat(direct.body()).contains("direct");

    try (FakeRunner r = connect(edge1.token().revealUtf8(), edge1.info().id())) {
      awaitSession(edge1.info().id());
      long assignedAt = System.nanoTime();
      new SourceAssignmentStore(gateway.store().dataSource(), Clock.systemUTC()).assign(envId, "plain", List.of("edge-1"));

      // No explicit refresh: the catalog's own poll picks the assignment up. Until then reads stay direct.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      CompletableFuture<HttpResponse<String>> answer;
      JsonNode job;
      int directMeanwhile = 0;
      while (true) {
        assertThat(System.nanoTime()).as("assignment visible within 10 s").isLessThan(end);
        answer = queryAsync();
        job = awaitJobOrAnswer(r, answer);
        if (job != null) {
          break;
        }
        assertThat(answer.get().statusCode()).isEqualTo(200);
        directMeanwhile++;
      }
      System.out.printf("assignment honoured after %.0f ms (config poll %d ms, %d direct reads meanwhile)%n",
          (System.nanoTime() - assignedAt) / 1e6, CONFIG_POLL_MS, directMeanwhile);
      assertThat(job.path("source").asText()).isEqualTo("plain");
      assertThat(job.path("credentials").path("url").asText()).as("managed credentials shipped").isEqualTo(db.jdbcUrl());
      r.send("{\"type\":\"result\",\"jobId\":\"" + job.path("jobId").asText() + "\",\"rows\":[{\"id\":7,\"title\":\"via-runner\"}],"
          + "\"done\":true,\"rowCount\":1,\"durationMs\":1}");
      HttpResponse<String> viaRunner = answer.get(15, TimeUnit.SECONDS);
      assertThat(viaRunner.statusCode()).as(viaRunner.body()).isEqualTo(200);
      assertThat(JSON.readTree(viaRunner.body()).path("rows").toString()).isEqualTo("[{\"id\":7,\"title\":\"via-runner\"}]");
    }

    new SourceAssignmentStore(gateway.store().dataSource(), Clock.systemUTC()).unassign(envId, "plain");
    gateway.refreshConfigs();
    HttpResponse<String> again = query();
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).contains("direct");
  }

  @Test
  void rotate_withGrace_oldAndNewTokensBothIdentifyTheRunner() throws Exception {
    String oldToken = edge1.token().revealUtf8();
    CreatedKey fresh = gateway.keys().rotate(edge1.info().keyId(), Optional.of(Duration.ofHours(1)));

    try (FakeRunner viaNew = connect(fresh.plaintext().revealUtf8(), edge1.info().id());
        FakeRunner viaOld = connect(oldToken, edge1.info().id())) {
      assertThat(viaNew.closed).isNotDone();
      assertThat(viaOld.closed).isNotDone();
    }

    // Ending the grace early (revoking the old key) closes only sessions that used the old key.
    try (FakeRunner viaNew = connect(fresh.plaintext().revealUtf8(), edge1.info().id());
        FakeRunner viaOld = connect(oldToken, edge1.info().id())) {
      awaitSession(edge1.info().id());
      gateway.keys().revoke(edge1.info().keyId());
      assertThat(viaOld.next("refused").path("code").asText()).isEqualTo("key_revoked");
      viaOld.closed.get(10, TimeUnit.SECONDS);
      viaNew.heartbeat("plain");
      assertThat(viaNew.closed).isNotDone();
    }
  }

  @Test
  void rotate_withoutGrace_newTokenConnectsAndOldIsRefused() throws Exception {
    String oldToken = edge1.token().revealUtf8();
    CreatedKey fresh = gateway.keys().rotate(edge1.info().keyId(), Optional.empty());

    assertThat(handshakeStatus(FakeRunner.connect(gateway.port(), oldToken))).isEqualTo(401);
    try (FakeRunner viaNew = connect(fresh.plaintext().revealUtf8(), edge1.info().id())) {
      assertThat(viaNew.closed).isNotDone();
    }
  }

  @Test
  void revoke_byAnotherStoreClientAsTheCli_closesTheOpenSocket() throws Exception {
    // The CLI's own services: same database, its own (unshared) revocation bus.
    ApiKeyService cliKeys = new ApiKeyService(gateway.store().dataSource(),
        new KeyHasher(MasterKeys.load(dataDir, Map.of())), PartnerSecretHasher.bcrypt(), new KeyRevocations(),
        Clock.systemUTC());
    RunnerStore cliRunners = new RunnerStore(gateway.store().dataSource(), cliKeys, Clock.systemUTC());

    try (FakeRunner r = connect(edge1.token().revealUtf8(), edge1.info().id())) {
      awaitSession(edge1.info().id());
      long start = System.nanoTime();
      assertThat(cliRunners.revoke(edge1.info().id())).isTrue();
      assertThat(r.next("refused").path("code").asText()).isEqualTo("key_revoked");
      r.closed.get(10, TimeUnit.SECONDS);
      System.out.printf("runners revoke -> socket closed in %.0f ms%n", (System.nanoTime() - start) / 1e6);
      assertThat(cliRunners.revoke(edge1.info().id())).isFalse();
    }
    assertThat(handshakeStatus(FakeRunner.connect(gateway.port(), edge1.token().revealUtf8()))).isEqualTo(401);
  }
}
