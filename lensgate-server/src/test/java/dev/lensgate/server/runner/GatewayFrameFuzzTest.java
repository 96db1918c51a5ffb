package dev.lensgate.server.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.runner.RunnerFrameCodec;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame fuzzer against the gateway's runner endpoint: a real gateway on port 0, real WebSockets,
 * a valid {@code rk_} token. Garbage ({@link RunnerFrameGarbage}, seeded; the seed is printed and
 * {@code -Dlensgate.fuzz.seed=N} replays it) must close the socket (1008, or 1009 for an
 * over-size message); valid frames naming a job the session does not hold must be ignored and
 * counted. Meanwhile a real job held by another runner session must neither complete nor fail
 * because of it, and afterwards: the gateway still serves health and a fresh runner session, no
 * job is pending, every session is gone from the map, and the ledger holds exactly the real jobs.
 */
class GatewayFrameFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITERATIONS = 150;

  @TempDir
  Path dataDir;
  private Gateway gateway;
  private String sk;
  private CreatedRunner edge1;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0),
        Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, "60000"), 0, 0, Duration.ZERO, "fuzz-test");
    gateway = Gateway.start(settings, Clock.systemUTC());
    String envId = gateway.store().defaultEnvironment().id();
    sk = gateway.keys().create(KeyType.SK, envId, "test", Set.of()).plaintext().revealUtf8();
    edge1 = gateway.runners().create(gateway.store().defaultOrg().id(), "edge-1");
    String yaml = "stack: lensgate/v1\n"
        + "sources:\n  local:\n    type: postgres\n    runners: [edge-1]\n    credentials: runner-local\n"
        + "lenses:\n  items:\n    source: local\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string }\n"
        + "    grants:\n      query: public\n"
        + "defaults:\n  grants: strict\n";
    assertThat(ConfigLoader.parse(yaml, "t.yaml").errors()).isEmpty();
    gateway.configs().push(envId, yaml);
    gateway.refreshConfigs();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private static long seed() {
    String fixed = System.getProperty("lensgate.fuzz.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
    System.out.println("GatewayFrameFuzzTest seed: " + seed + " (replay with -Dlensgate.fuzz.seed=" + seed + ")");
    return seed;
  }

  private FuzzSocket connected() throws Exception {
    FuzzSocket s = FuzzSocket.connect(http, gateway.port(), edge1.token().revealUtf8());
    s.next("hello");
    s.sendText("{\"type\":\"heartbeat\",\"version\":\"fuzz\",\"sources\":[\"local\"]}");
    return s;
  }

  private CompletableFuture<HttpResponse<String>> query(String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/query/items"))
        .header("Authorization", "Bearer " + sk).header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  private static String jobId(String jobFrame) throws Exception {
    return JSON.readTree(jobFrame).path("jobId").asText();
  }

  private static String done(String jobId, int id, String title) {
    return "{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":" + id + ",\"title\":\"" + title + "\"}],"
        + "\"done\":true,\"rowCount\":1,\"durationMs\":1}";
  }

  @Test
  void fuzz_garbageAndForeignFrames_closeOrAreIgnoredAndNothingLeaks() throws Exception {
    long seed = seed();
    RunnerFrameGarbage garbage = new RunnerFrameGarbage(new Random(seed));
    FuzzSocket holder = connected();
    CompletableFuture<HttpResponse<String>> held = query("{\"where\":{\"id\":1}}");
    String heldJob = jobId(holder.next("job"));
    assertThat(gateway.dispatcher().inFlight()).isEqualTo(1);

    long ignored = gateway.dispatcher().ignoredFrames();
    int closes = 0;
    FuzzSocket fuzz = connected();
    for (int i = 0; i < ITERATIONS; i++) {
      RunnerFrameGarbage.Frame f = garbage.next(heldJob);
      String what = "seed " + seed + ", frame " + i + " " + f;
      boolean fragmented = f.text().length() > 2 && i % 7 == 3;
      if (fragmented) {
        fuzz.sendFragmented(f.text(), f.text().length() / 2);
      } else {
        fuzz.sendText(f.text());
      }
      if (f.kind() == RunnerFrameGarbage.Kind.MALFORMED) {
        assertThat(fuzz.closed.get(10, TimeUnit.SECONDS)).as(what).isEqualTo(1008);
        closes++;
        FuzzSocket gone = fuzz;
        waitUntil(() -> gateway.runnerSessions().size() == 1, "session of " + what + " unregistered");
        assertThat(gone.received).as("no job was sent to a fuzzing session: " + what)
            .noneMatch(t -> t.contains("\"type\":\"job\""));
        fuzz = connected();
      } else {
        long expected = ++ignored;
        waitUntil(() -> gateway.dispatcher().ignoredFrames() == expected, "ignored: " + what);
        assertThat(fuzz.isOpen()).as(what).isTrue();
      }
      assertThat(held).as("the held job is untouched by " + what).isNotDone();
      assertThat(gateway.dispatcher().inFlight()).as(what).isEqualTo(1);
    }
    System.out.println("GatewayFrameFuzzTest: " + ITERATIONS + " frames, " + closes + " closes, "
        + (gateway.dispatcher().ignoredFrames()) + " ignored");

    holder.sendText(done(heldJob, 1, "real"));
    HttpResponse<String> answer = held.get(20, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).path("rows").toString()).isEqualTo("[{\"id\":1,\"title\":\"real\"}]");
    assertStillServingAndClean(List.of(fuzz, holder), 2);
  }

  @Test
  void frame_aboveCodecMax_closesWith1009AndGatewayKeepsServing() throws Exception {
    int max = RunnerFrameCodec.DEFAULT_MAX_FRAME_BYTES;
    FuzzSocket holder = connected();
    CompletableFuture<HttpResponse<String>> held = query("{}");
    String heldJob = jobId(holder.next("job"));
    // A result for the held job, one byte over the limit: must not reach the dispatcher at all.
    String prefix = "{\"type\":\"result\",\"jobId\":\"" + heldJob + "\",\"rows\":[{\"id\":1,\"title\":\"";
    String suffix = "\"}],\"done\":true,\"rowCount\":1,\"durationMs\":1}";
    String huge = prefix + "x".repeat(max + 1 - prefix.length() - suffix.length()) + suffix;
    assertThat(huge.length()).isEqualTo(max + 1);
    FuzzSocket big = connected();
    big.sendText(huge);
    assertThat(big.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1009);
    // The same over-size message from the job's own session: closed, so the job fails, never succeeds.
    holder.sendFragmented(huge, max / 2);
    assertThat(holder.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1009);
    HttpResponse<String> failed = held.get(20, TimeUnit.SECONDS);
    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(failed.body()).path("error").path("code").asText()).isEqualTo("runner_failed");
    // Exactly at the limit but malformed: the codec's own size check, then a policy close.
    FuzzSocket atLimit = connected();
    atLimit.sendText("[" + " ".repeat(max - 1));
    assertThat(atLimit.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1008);
    assertStillServingAndClean(List.of(big, holder, atLimit), 2);
    gateway.flushRunnerLedger();
    assertThat(gateway.runnerJobs().since(Instant.EPOCH)).extracting(RunnerJobRow::status).contains("failed");
  }

  @Test
  void frame_binary_closesWith1008AndHeldJobFailsCleanly() throws Exception {
    FuzzSocket holder = connected();
    CompletableFuture<HttpResponse<String>> held = query("{}");
    String heldJob = jobId(holder.next("job"));
    FuzzSocket other = connected();
    other.sendBinary(done(heldJob, 1, "forged").getBytes(StandardCharsets.UTF_8));
    assertThat(other.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(held).isNotDone();
    holder.sendBinary(new byte[] {0, 1, 2, (byte) 0xff});
    assertThat(holder.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    HttpResponse<String> resp = held.get(20, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).isEqualTo(502);
    assertThat(resp.body()).doesNotContain("forged");
    assertStillServingAndClean(List.of(other, holder), 2);
  }

  @Test
  void result_duplicateDoneAndLateFrames_areIgnoredAndLedgerHasOneRowPerJob() throws Exception {
    FuzzSocket r = connected();
    CompletableFuture<HttpResponse<String>> answer = query("{}");
    String job = jobId(r.next("job"));
    long ignored = gateway.dispatcher().ignoredFrames();
    r.sendText(done(job, 1, "first"));
    r.sendText(done(job, 2, "second"));
    r.sendText("{\"type\":\"error\",\"jobId\":\"" + job + "\",\"code\":\"source_unreachable\",\"message\":\"late\"}");
    r.sendText("{\"type\":\"result\",\"jobId\":\"" + job + "\",\"rows\":[],\"done\":false,\"rowCount\":0,\"durationMs\":0}");
    waitUntil(() -> gateway.dispatcher().ignoredFrames() == ignored + 3, "three late frames ignored");
    assertThat(r.next("cancel")).as("a late frame is answered with a cancel of its job").contains(job);
    HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.body()).contains("first").doesNotContain("second");
    assertThat(r.isOpen()).isTrue();
    assertStillServingAndClean(List.of(r), 2);
  }

  @Test
  void result_endlessChunksForOneJob_failAtTheRowBoundWithCancel() throws Exception {
    FuzzSocket r = connected();
    CompletableFuture<HttpResponse<String>> answer = query("{}");
    String job = jobId(r.next("job"));
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < RunnerFrameCodec.DEFAULT_MAX_ROWS; i++) {
      rows.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"title\":\"t\"}");
    }
    String chunk = "{\"type\":\"result\",\"jobId\":\"" + job + "\",\"rows\":[" + rows + "],\"done\":false,"
        + "\"rowCount\":1000,\"durationMs\":1}";
    int sent = 0;
    while (!answer.isDone() && sent < 3 * JobDispatcher.MAX_ROWS_PER_JOB / RunnerFrameCodec.DEFAULT_MAX_ROWS) {
      r.sendText(chunk);
      sent++;
      Thread.sleep(sent > JobDispatcher.MAX_ROWS_PER_JOB / RunnerFrameCodec.DEFAULT_MAX_ROWS ? 50 : 0);
    }
    HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
    System.out.println("row bound: job failed after " + sent + " chunks of " + RunnerFrameCodec.DEFAULT_MAX_ROWS + " rows");
    assertThat(resp.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(resp.body()).path("error").path("code").asText()).isEqualTo("runner_failed");
    assertThat(r.next("cancel")).contains(job);
    assertThat(gateway.dispatcher().inFlight()).isZero();
    assertStillServingAndClean(List.of(r), 2);
  }

  @Test
  void result_forAnotherSessionsJob_isIgnoredEvenFromTheSameRunner() throws Exception {
    FuzzSocket owner = connected();
    FuzzSocket sibling = connected();
    assertThat(gateway.runnerSessions().openSessions(edge1.info().id())).isEqualTo(2);
    CompletableFuture<HttpResponse<String>> answer = query("{}");
    // The dispatcher picks one of the two sessions at random; the other one is the intruder.
    FuzzSocket[] pair = whoGotTheJob(owner, sibling);
    String job = jobId(pair[0].received.stream().filter(t -> t.contains("\"type\":\"job\"")).findFirst().orElseThrow());
    long ignored = gateway.dispatcher().ignoredFrames();
    pair[1].sendText(done(job, 666, "forged"));
    pair[1].sendText("{\"type\":\"error\",\"jobId\":\"" + job + "\",\"code\":\"upstream_timeout\",\"message\":\"m\"}");
    waitUntil(() -> gateway.dispatcher().ignoredFrames() == ignored + 2, "foreign frames ignored");
    assertThat(pair[1].next("cancel")).as("the intruder is told to stop the job it claims").contains(job);
    assertThat(answer).isNotDone();
    pair[0].sendText(done(job, 1, "real"));
    HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
    assertThat(resp.body()).contains("real").doesNotContain("forged");
    assertStillServingAndClean(List.of(owner, sibling), 2);
  }

  private static FuzzSocket[] whoGotTheJob(FuzzSocket a, FuzzSocket b) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      if (a.received.stream().anyMatch(t -> t.contains("\"type\":\"job\""))) {
        return new FuzzSocket[] {a, b};
      }
      if (b.received.stream().anyMatch(t -> t.contains("\"type\":\"job\""))) {
        return new FuzzSocket[] {b, a};
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no session got the job");
  }

  /**
   * Closes {@code sockets}; then the gateway must hold no session and no pending job, answer
   * health, serve a query through a fresh runner session, and the ledger must hold exactly
   * {@code ledgerRows} rows (the real jobs of the test, the final one included).
   */
  private void assertStillServingAndClean(List<FuzzSocket> sockets, int ledgerRows) throws Exception {
    for (FuzzSocket s : sockets) {
      s.close();
    }
    waitUntil(() -> gateway.runnerSessions().size() == 0, "every runner session unregistered");
    assertThat(gateway.dispatcher().inFlight()).isZero();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.port() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    try (FuzzSocket fresh = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("{}");
      String job = jobId(fresh.next("job"));
      fresh.sendText(done(job, 9, "after"));
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
      assertThat(resp.body()).contains("after");
    }
    waitUntil(() -> gateway.runnerSessions().size() == 0, "the fresh session unregistered");
    assertThat(gateway.dispatcher().inFlight()).isZero();
    gateway.flushRunnerLedger();
    List<RunnerJobRow> ledger = gateway.runnerJobs().since(Instant.EPOCH);
    assertThat(ledger).as("ledger rows: only the real jobs").hasSize(ledgerRows);
    assertThat(ledger).extracting(RunnerJobRow::id).doesNotHaveDuplicates();
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(5);
    }
  }
}
