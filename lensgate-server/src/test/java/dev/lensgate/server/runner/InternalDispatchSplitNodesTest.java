package dev.lensgate.server.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.http.Route;
import dev.lensgate.server.internal.InternalDispatchClient;
import dev.lensgate.server.internal.InternalDispatchSettings;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import java.util.Optional;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.testkit.LogCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Split gateway nodes end to end (issue 3 item 7): node B is runner-facing (a fake runner on a real
 * WebSocket, the internal listener on its own loopback port), node A is an API node with no
 * runners whose runner jobs go to B's {@code POST /internal/dispatch}. Both share one metadata store
 * and master key (one data directory). Real servers on port 0, real HTTP, no mocks.
 */
class InternalDispatchSplitNodesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "internal-dispatch-token-0123456789abcdef";
  private static final String SENTINEL = "SENTINEL_h2_internal_pw";
  private static final long DEADLINE_MS = 1500;

  @TempDir
  Path dataDir;
  private final List<Gateway> nodes = new ArrayList<>();
  private Gateway nodeB;
  private Gateway nodeA;
  private String envId;
  private String orgId;
  private String sk;
  private CreatedRunner edge1;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    nodeB = node(Map.of(InternalDispatchSettings.TOKEN, TOKEN, InternalDispatchSettings.ADDRESS, "127.0.0.1:0"));
    envId = nodeB.store().defaultEnvironment().id();
    orgId = nodeB.store().defaultOrg().id();
    sk = nodeB.keys().create(KeyType.SK, envId, "test", Set.of()).plaintext().revealUtf8();
    edge1 = nodeB.runners().create(orgId, "edge-1");
    String yaml = "stack: lensgate/v1\n"
        + "sources:\n"
        + "  local:\n    type: postgres\n    runners: [edge-1]\n    credentials: runner-local\n"
        + "  managed:\n    type: postgres\n    runners: [edge-1]\n"
        + "lenses:\n" + lens("items", "local") + lens("secure", "managed")
        + "defaults:\n  grants: strict\n";
    assertThat(ConfigLoader.parse(yaml, "t.yaml").errors()).isEmpty();
    nodeB.configs().push(envId, yaml);
    try (SecretBytes pw = SecretBytes.fromUtf8(SENTINEL)) {
      nodeB.sources().connect(envId, "managed", "jdbc:postgresql://10.0.0.9:5432/shop", "reader", pw);
    }
    nodeA = node(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.URL, "http://127.0.0.1:" + nodeB.internalDispatchPort()));
    nodeB.refreshConfigs();
    nodeA.refreshConfigs();
  }

  private Gateway node(Map<String, String> internal) {
    Map<String, String> env = new HashMap<>(internal);
    env.put(RunnerSettings.JOB_DEADLINE_MILLIS, Long.toString(DEADLINE_MS));
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0), env, 0, 0,
        Duration.ZERO, "split-test");
    Gateway g = Gateway.start(settings, Clock.systemUTC());
    nodes.add(g);
    return g;
  }

  private static String lens(String name, String source) {
    return "  " + name + ":\n    source: " + source + "\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string }\n"
        + "    grants:\n      query: public\n";
  }

  @AfterEach
  void stop() {
    for (Gateway g : nodes) {
      g.close();
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private FakeRunner connectedToB() throws Exception {
    FakeRunner r = FakeRunner.connect(nodeB.port(), edge1.token().revealUtf8()).get(10, TimeUnit.SECONDS);
    r.next("hello");
    r.heartbeat("local", "managed");
    return r;
  }

  private CompletableFuture<HttpResponse<String>> query(Gateway node, String lens, String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/query/" + lens))
        .header("Authorization", "Bearer " + sk).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends only the head of a POST whose Content-Length is {@code declaredBytes} and returns the raw
   * answer. The server refuses an oversized body by its Content-Length without reading it; writing a
   * 2 MiB body first could outgrow the loopback buffers and end in "broken pipe" (seen in CI).
   */
  private static String postHeadOnly(int port, String authorization, long declaredBytes) throws Exception {
    try (java.net.Socket sock = new java.net.Socket("127.0.0.1", port)) {
      sock.setSoTimeout(10_000);
      String head = "POST /internal/dispatch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
          + "\r\nContent-Type: application/json\r\nContent-Length: " + declaredBytes + "\r\n\r\n";
      sock.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      sock.getOutputStream().flush();
      java.io.InputStream in = sock.getInputStream();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (java.net.SocketTimeoutException e) {
          break; // the server kept the connection open after answering
        }
        if (n < 0) {
          break;
        }
        answer.write(buf, 0, n);
        String text = answer.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher len = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        if (split >= 0 && len.find() && text.length() - split - 4 >= Integer.parseInt(len.group(1))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<String> postInternal(int port, String authorization, String body) throws Exception {
    return postInternal(port, "/internal/dispatch", authorization, body);
  }

  private HttpResponse<String> postInternal(int port, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A valid job for the runner-local source, as an API node would send it. */
  private String job() {
    return "{\"orgId\":\"" + orgId + "\",\"envId\":\"" + envId + "\",\"source\":\"local\",\"runnerNames\":[\"edge-1\"],"
        + "\"kind\":\"query\",\"lens\":{\"name\":\"items\",\"table\":\"items\",\"primaryKey\":\"id\",\"fields\":["
        + "{\"name\":\"id\",\"column\":\"id\",\"type\":\"integer\"},{\"name\":\"title\",\"column\":\"title\",\"type\":\"string\"}]},"
        + "\"spec\":{\"limit\":5},\"deadlineMillis\":" + DEADLINE_MS + "}";
  }

  /** The next job frame; if the query was answered instead, fails with that answer. */
  private static JsonNode nextJobOr(FakeRunner r, CompletableFuture<HttpResponse<String>> answer) throws Exception {
    for (int i = 0; i < 100; i++) {
      JsonNode f = r.received.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && "job".equals(f.path("type").asText())) {
        return f;
      }
      if (answer.isDone()) {
        throw new AssertionError("no job; answered " + answer.get().statusCode() + " " + answer.get().body());
      }
    }
    throw new AssertionError("no job frame within 10 s");
  }

  private static String code(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body()).path("error").path("code").asText(null);
  }

  private static void assertRequestId(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("X-Request-Id")).as("X-Request-Id on %s", r).isPresent();
  }

  private List<RunnerJobRow> ledger() {
    nodeA.flushRunnerLedger();
    nodeB.flushRunnerLedger();
    return nodeB.runnerJobs().since(Instant.EPOCH);
  }

  private static void result(FakeRunner r, String jobId, String rows, boolean done) {
    r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":" + rows + ",\"done\":" + done
        + ",\"rowCount\":1,\"durationMs\":1}");
  }

  // ---- split dispatch --------------------------------------------------------------------------

  @Test
  void query_onApiNode_isAnsweredWithTheRunnerFacingNodesRunnerRows() throws Exception {
    assertThat(nodeA.internalDispatchPort()).as("an API node opens no internal listener").isEqualTo(-1);
    try (FakeRunner r = connectedToB()) {
      assertThat(nodeA.runnerSessions().size()).as("node A holds no runner").isZero();
      long started = System.nanoTime();
      CompletableFuture<HttpResponse<String>> answer = query(nodeA, "items", "{\"where\":{\"title\":\"a\"},\"limit\":2}");
      JsonNode job = r.next("job");
      assertThat(job.path("source").asText()).isEqualTo("local");
      assertThat(job.has("credentials")).as("runner-local ships no credentials").isFalse();
      assertThat(job.path("spec").path("where").toString()).contains("title");
      String jobId = job.path("jobId").asText();
      result(r, jobId, "[{\"id\":1,\"title\":\"a\"}]", false);
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":2,\"title\":\"a\"}],"
          + "\"done\":true,\"rowCount\":2,\"durationMs\":2,\"next\":[\"2\"]}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      System.out.printf("split-node query answered in %.1f ms%n", (System.nanoTime() - started) / 1e6);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
      assertRequestId(resp);
      JsonNode body = JSON.readTree(resp.body());
      assertThat(body.path("rows").toString()).isEqualTo("[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"a\"}]");
      String cursor = body.path("meta").path("nextCursor").asText();
      assertThat(cursor).isNotBlank();

      // The cursor signed by node A continues on node B's runner as a keyset position.
      CompletableFuture<HttpResponse<String>> page2 = query(nodeA, "items",
          "{\"where\":{\"title\":\"a\"},\"limit\":2,\"cursor\":\"" + cursor + "\"}");
      JsonNode job2 = r.next("job");
      assertThat(job2.path("spec").path("after").toString()).isEqualTo("[\"2\"]");
      r.send("{\"type\":\"result\",\"jobId\":\"" + job2.path("jobId").asText() + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      assertThat(page2.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    List<RunnerJobRow> rows = ledger();
    assertThat(rows).hasSize(2);
    assertThat(rows).allSatisfy(row -> {
      assertThat(row.status()).isEqualTo("succeeded");
      assertThat(row.runnerId()).contains(edge1.info().id());
    });
  }

  @Test
  void query_managedSourceOnApiNode_credentialsAreDecryptedByTheRunnerFacingNode() throws Exception {
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<HttpResponse<String>> answer = query(nodeA, "secure", "{}");
      JsonNode job = nextJobOr(r, answer);
      assertThat(job.path("credentials").path("password").asText()).isEqualTo(SENTINEL);
      assertThat(job.path("credentials").path("user").asText()).isEqualTo("reader");
      result(r, job.path("jobId").asText(), "[{\"id\":7,\"title\":\"s\"}]", true);
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
      assertThat(resp.body()).doesNotContain(SENTINEL);
    }
  }

  @Test
  void query_noRunnerOnRunnerFacingNode_is503NoRunnersOnline() throws Exception {
    HttpResponse<String> resp = query(nodeA, "items", "{}").get(10, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(503);
    assertThat(code(resp)).isEqualTo("no_runners_online");
    assertRequestId(resp);
  }

  @Test
  void query_runnerDropsMidJob_is502RunnerFailed() throws Exception {
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<HttpResponse<String>> answer = query(nodeA, "items", "{}");
      r.next("job");
      long dropped = System.nanoTime();
      r.abort();
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      System.out.printf("runner drop -> node A answer: %.1f ms%n", (System.nanoTime() - dropped) / 1e6);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(502);
      assertThat(code(resp)).isEqualTo("runner_failed");
    }
  }

  @Test
  void query_runnerReportsSourceUnreachable_is502SourceUnreachable() throws Exception {
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<HttpResponse<String>> answer = query(nodeA, "items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"error\",\"jobId\":\"" + jobId + "\",\"code\":\"source_unreachable\",\"message\":\"db down\"}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(502);
      assertThat(code(resp)).isEqualTo("source_unreachable");
    }
  }

  @Test
  void query_runnerNeverAnswers_is504UpstreamTimeout() throws Exception {
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<HttpResponse<String>> answer = query(nodeA, "items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      long sent = System.nanoTime();
      HttpResponse<String> resp = answer.get(15, TimeUnit.SECONDS);
      System.out.printf("silent runner -> node A 504 after %.1f ms (deadline %d ms)%n", (System.nanoTime() - sent) / 1e6, DEADLINE_MS);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(504);
      assertThat(code(resp)).isEqualTo("upstream_timeout");
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
    }
  }

  @Test
  void query_runnerFacingNodeDown_is502RunnerFailed() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    Gateway orphan = node(Map.of(InternalDispatchSettings.TOKEN, TOKEN,
        InternalDispatchSettings.URL, "http://127.0.0.1:" + deadPort));
    orphan.refreshConfigs();
    HttpResponse<String> resp = query(orphan, "items", "{}").get(15, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(502);
    assertThat(code(resp)).isEqualTo("runner_failed");
    assertRequestId(resp);
  }

  @Test
  void query_apiNodeWithWrongInternalToken_is502AndNothingDispatched() throws Exception {
    Gateway wrong = node(Map.of(InternalDispatchSettings.TOKEN, TOKEN + "-not-the-same",
        InternalDispatchSettings.URL, "http://127.0.0.1:" + nodeB.internalDispatchPort()));
    wrong.refreshConfigs();
    try (FakeRunner r = connectedToB()) {
      HttpResponse<String> resp = query(wrong, "items", "{}").get(15, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).as("the customer's key is not at fault: %s", resp.body()).isEqualTo(502);
      assertThat(code(resp)).isEqualTo("runner_failed");
      assertThat(r.rawReceived).noneMatch(f -> f.contains("\"job\""));
    }
    assertThat(ledger()).isEmpty();
  }

  @Test
  void readJob_overTheLink_handsTheStreamedRowsToTheConsumer() throws Exception {
    InternalDispatchClient client = new InternalDispatchClient(
        URI.create("http://127.0.0.1:" + nodeB.internalDispatchPort() + "/internal/dispatch"),
        SecretBytes.fromUtf8(TOKEN), Duration.ofSeconds(2), 1 << 20);
    LensMapping lens = new LensMapping("items", Optional.empty(), "items", "id",
        List.of(new LensMapping.Field("id", "id", "integer"), new LensMapping.Field("title", "title", "string")));
    JobRequest read = new JobRequest(orgId, envId, "local", List.of("edge-1"), JobKind.READ, lens,
        JSON.createObjectNode().put("limit", 1000), Optional.empty(), Duration.ofMillis(DEADLINE_MS));
    List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<JobOutcome> done = CompletableFuture.supplyAsync(() -> client.stream(read, 100, seen::addAll));
      JsonNode job = r.next("job");
      assertThat(job.path("kind").asText()).isEqualTo("read");
      String jobId = job.path("jobId").asText();
      result(r, jobId, "[{\"id\":1,\"title\":\"a\"}]", false);
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":2,\"title\":\"b\"}],"
          + "\"done\":true,\"rowCount\":2,\"durationMs\":2}");
      JobOutcome outcome = done.get(10, TimeUnit.SECONDS);
      assertThat(outcome.rowCount()).isEqualTo(2);
      assertThat(seen.toString()).isEqualTo("[{\"id\":1,\"title\":\"a\"}, {\"id\":2,\"title\":\"b\"}]");
    }
  }

  // ---- streamed reads over the link (POST /internal/dispatch/stream) ---------------------------

  private InternalDispatchClient linkClient(String token) {
    return new InternalDispatchClient(
        URI.create("http://127.0.0.1:" + nodeB.internalDispatchPort() + "/internal/dispatch"),
        SecretBytes.fromUtf8(token), Duration.ofSeconds(2), InternalDispatchClient.DEFAULT_MAX_RESPONSE_BYTES);
  }

  private JobRequest readJob(Duration deadline) {
    LensMapping lens = new LensMapping("items", Optional.empty(), "items", "id",
        List.of(new LensMapping.Field("id", "id", "integer"), new LensMapping.Field("title", "title", "string")));
    return new JobRequest(orgId, envId, "local", List.of("edge-1"), JobKind.READ, lens,
        JSON.createObjectNode().put("limit", 1000), Optional.empty(), deadline);
  }

  /** One result frame of rows {@code from..from+count-1}; {@code total} is the running count. */
  private static void rowsFrame(FakeRunner r, String jobId, long from, int count, boolean done, long total) {
    StringBuilder rows = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      rows.append(i == 0 ? "" : ",").append("{\"id\":").append(from + i).append(",\"title\":\"t").append(from + i)
          .append("\"}");
    }
    r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":" + rows.append(']') + ",\"done\":" + done
        + ",\"rowCount\":" + total + ",\"durationMs\":1}");
  }

  private static LensgateException failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LensgateException le) {
        return le;
      }
      throw e;
    }
    throw new AssertionError("the stream ended without an error");
  }

  @Test
  void streamedRead_25000RowsThroughTheLink_arriveCompleteAndInOrderInSeveralChunks() throws Exception {
    List<Integer> chunkSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<JobOutcome> done = CompletableFuture.supplyAsync(() -> linkClient(TOKEN).stream(
          readJob(Duration.ofSeconds(60)), RunnerReads.READ_MAX_ROWS, chunk -> {
            chunkSizes.add(chunk.size());
            chunk.forEach(row -> ids.add(row.path("id").asLong()));
          }));
      String jobId = r.next("job").path("jobId").asText();
      int total = 25_000;
      for (int from = 1; from <= total; from += 1000) {
        rowsFrame(r, jobId, from, 1000, from + 1000 > total, from + 999);
      }
      JobOutcome outcome = done.get(60, TimeUnit.SECONDS);
      assertThat(outcome.rowCount()).isEqualTo(total);
      assertThat(outcome.runnerId()).isEqualTo(edge1.info().id());
      assertThat(chunkSizes).as("one chunk per runner frame, not one collected answer").hasSize(25);
      assertThat(ids).hasSize(total);
      for (int i = 0; i < total; i++) {
        assertThat(ids.get(i)).isEqualTo(i + 1L);
      }
    }
    assertThat(ledger()).singleElement().satisfies(row -> {
      assertThat(row.kind()).isEqualTo("read");
      assertThat(row.status()).isEqualTo("succeeded");
      assertThat(row.rowCount()).isEqualTo(25_000L);
    });
  }

  /** The path a sync takes on an API node: {@link RunnerReads#readAll} over the link's client. */
  @Test
  void readAll_onApiNodeOverTheLink_deliversMoreThanOneCollectedAnswer() throws Exception {
    String yaml = nodeB.configs().active(envId).orElseThrow().yaml();
    dev.lensgate.core.config.LensgateConfig config = ConfigLoader.parse(yaml, "t.yaml").config().orElseThrow();
    RunnerReads reads = new RunnerReads(linkClient(TOKEN), (env, name) -> Optional.ofNullable(config.sources().get(name)),
        (env, source) -> Optional.empty(), env -> orgId, Duration.ofSeconds(5));
    long[] seen = new long[1];
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<java.util.OptionalLong> total = CompletableFuture.supplyAsync(() -> reads.readAll(envId,
          config.lenses().get("items"), dev.lensgate.core.where.Filters.matchAll(), rows -> seen[0] += rows.size()));
      String jobId = r.next("job").path("jobId").asText();
      for (int from = 1; from <= 12_000; from += 1000) {
        rowsFrame(r, jobId, from, 1000, from + 1000 > 12_000, from + 999);
      }
      assertThat(total.get(60, TimeUnit.SECONDS)).hasValue(12_000);
      assertThat(seen[0]).isEqualTo(12_000);
    }
  }

  @Test
  void streamedRead_runnerDisconnectsAfterTheFirstChunk_isRunnerFailedNotAShortResult() throws Exception {
    java.util.concurrent.CountDownLatch firstChunk = new java.util.concurrent.CountDownLatch(1);
    List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<JobOutcome> done = CompletableFuture.supplyAsync(() -> linkClient(TOKEN).stream(
          readJob(Duration.ofSeconds(30)), RunnerReads.READ_MAX_ROWS, chunk -> {
            seen.addAll(chunk);
            firstChunk.countDown();
          }));
      String jobId = r.next("job").path("jobId").asText();
      rowsFrame(r, jobId, 1, 1000, false, 1000);
      assertThat(firstChunk.await(20, TimeUnit.SECONDS)).isTrue();
      r.abort();
      LensgateException e = failure(done);
      assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED);
      assertThat(seen).hasSize(1000);
    }
    assertThat(ledger()).singleElement().satisfies(row -> assertThat(row.status()).isEqualTo("failed"));
  }

  @Test
  void streamedRead_sourceFailsAfterTheFirstChunk_isSourceUnreachable() throws Exception {
    java.util.concurrent.CountDownLatch firstChunk = new java.util.concurrent.CountDownLatch(1);
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<JobOutcome> done = CompletableFuture.supplyAsync(() -> linkClient(TOKEN).stream(
          readJob(Duration.ofSeconds(30)), RunnerReads.READ_MAX_ROWS, chunk -> firstChunk.countDown()));
      String jobId = r.next("job").path("jobId").asText();
      rowsFrame(r, jobId, 1, 1000, false, 1000);
      assertThat(firstChunk.await(20, TimeUnit.SECONDS)).isTrue();
      r.send("{\"type\":\"error\",\"jobId\":\"" + jobId + "\",\"code\":\"source_unreachable\",\"message\":\"db down\"}");
      assertThat(failure(done).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
    }
  }

  @Test
  void streamedRead_overMaxRows_isRunnerFailedAndTheRunnerGetsCancel() throws Exception {
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<JobOutcome> done = CompletableFuture.supplyAsync(() -> linkClient(TOKEN).stream(
          readJob(Duration.ofSeconds(30)), 1500, chunk -> { }));
      String jobId = r.next("job").path("jobId").asText();
      rowsFrame(r, jobId, 1, 1000, false, 1000);
      rowsFrame(r, jobId, 1001, 1000, false, 2000);
      assertThat(failure(done).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
    }
  }

  @Test
  void streamedRead_noRunnerOnRunnerFacingNode_is503NoRunnersOnline() throws Exception {
    CompletableFuture<JobOutcome> done = CompletableFuture.supplyAsync(() -> linkClient(TOKEN).stream(
        readJob(Duration.ofSeconds(5)), 100, chunk -> { }));
    assertThat(failure(done).code()).isEqualTo(ErrorCode.NO_RUNNERS_ONLINE);
  }

  @Test
  void streamRoute_wrongOrMissingBearer_is401AndNothingDispatched() throws Exception {
    String job = job().substring(0, job().length() - 1) + ",\"maxRows\":100}";
    try (FakeRunner r = connectedToB()) {
      Map<String, String> attempts = new LinkedHashMap<>();
      attempts.put("missing", null);
      attempts.put("wrong", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1) + "X");
      attempts.put("customer key", "Bearer " + sk);
      for (Map.Entry<String, String> a : attempts.entrySet()) {
        HttpResponse<String> resp = postInternal(nodeB.internalDispatchPort(), "/internal/dispatch/stream",
            a.getValue(), job);
        assertThat(resp.statusCode()).as(a.getKey() + ": " + resp.body()).isEqualTo(401);
        assertThat(code(resp)).as(a.getKey()).isIn("missing_api_key", "invalid_api_key");
        assertRequestId(resp);
      }
      // The API node's client with the wrong token: the link's fault, 502, as on the plain route.
      CompletableFuture<JobOutcome> wrong = CompletableFuture.supplyAsync(() -> linkClient(TOKEN + "-not-the-same")
          .stream(readJob(Duration.ofSeconds(5)), 100, chunk -> { }));
      assertThat(failure(wrong).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
      // A plain job without maxRows is not a streamed job.
      HttpResponse<String> plain = postInternal(nodeB.internalDispatchPort(), "/internal/dispatch/stream",
          "Bearer " + TOKEN, job());
      assertThat(plain.statusCode()).as(plain.body()).isEqualTo(400);
      assertThat(code(plain)).isEqualTo("invalid_request");
      assertThat(r.rawReceived).noneMatch(f -> f.contains("\"job\""));
    }
    assertThat(ledger()).isEmpty();
  }

  /** Prints the added latency of the internal hop (no timing assertion: the machine is shared). */
  @Test
  void query_sequentialThroughApiNodeAndDirect_bothAnswerAndHopCostIsPrinted() throws Exception {
    try (FakeRunner r = connectedToB()) {
      Thread responder = new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            JsonNode f = r.received.poll(100, TimeUnit.MILLISECONDS);
            if (f != null && "job".equals(f.path("type").asText())) {
              result(r, f.path("jobId").asText(), "[{\"id\":1,\"title\":\"a\"}]", true);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "auto-responder");
      responder.setDaemon(true);
      responder.start();
      try {
        int n = 200;
        long[] viaA = new long[n];
        long[] direct = new long[n];
        for (int i = 0; i < 20; i++) {
          assertThat(query(nodeA, "items", "{}").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
          assertThat(query(nodeB, "items", "{}").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          HttpResponse<String> a = query(nodeA, "items", "{}").get(10, TimeUnit.SECONDS);
          long t1 = System.nanoTime();
          HttpResponse<String> b = query(nodeB, "items", "{}").get(10, TimeUnit.SECONDS);
          long t2 = System.nanoTime();
          assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
          assertThat(b.statusCode()).as(b.body()).isEqualTo(200);
          assertThat(JSON.readTree(a.body()).path("rows")).isEqualTo(JSON.readTree(b.body()).path("rows"));
          viaA[i] = t1 - t0;
          direct[i] = t2 - t1;
        }
        java.util.Arrays.sort(viaA);
        java.util.Arrays.sort(direct);
        System.out.printf("query p50 via API node %.2f ms, on runner-facing node %.2f ms (hop +%.2f ms); p99 %.2f / %.2f ms%n",
            viaA[n / 2] / 1e6, direct[n / 2] / 1e6, (viaA[n / 2] - direct[n / 2]) / 1e6,
            viaA[n * 99 / 100] / 1e6, direct[n * 99 / 100] / 1e6);
      } finally {
        responder.interrupt();
      }
    }
  }

  // ---- the internal listener -------------------------------------------------------------------

  @Test
  void internalDispatch_validTokenAndJob_answersTheOutcome() throws Exception {
    try (FakeRunner r = connectedToB()) {
      CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return postInternal(nodeB.internalDispatchPort(), "Bearer " + TOKEN, job());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":3,\"title\":\"12.50\"}],"
          + "\"done\":true,\"rowCount\":1,\"durationMs\":1,\"next\":[\"3\"]}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
      assertRequestId(resp);
      JsonNode body = JSON.readTree(resp.body());
      assertThat(body.path("jobId").asText()).isEqualTo(jobId);
      assertThat(body.path("runnerId").asText()).isEqualTo(edge1.info().id());
      assertThat(body.path("rowCount").asLong()).isEqualTo(1);
      assertThat(body.path("rows").toString()).isEqualTo("[{\"id\":3,\"title\":\"12.50\"}]");
      assertThat(body.path("next").toString()).isEqualTo("[\"3\"]");
    }
  }

  @Test
  void internalDispatch_missingOrWrongToken_is401AndNothingDispatched() throws Exception {
    try (FakeRunner r = connectedToB()) {
      Map<String, String> attempts = new LinkedHashMap<>();
      attempts.put("missing", null);
      attempts.put("empty", "Bearer ");
      attempts.put("other scheme", "Basic " + TOKEN);
      attempts.put("wrong", "Bearer " + TOKEN.substring(0, TOKEN.length() - 1) + "X");
      attempts.put("prefix", "Bearer " + TOKEN.substring(0, 32));
      attempts.put("longer", "Bearer " + TOKEN + "0");
      attempts.put("huge", "Bearer " + "A".repeat(4000));
      try (LogCapture logs = new LogCapture(Map.of("dev.lensgate", ch.qos.logback.classic.Level.DEBUG))) {
        for (Map.Entry<String, String> a : attempts.entrySet()) {
          HttpResponse<String> resp = postInternal(nodeB.internalDispatchPort(), a.getValue(), job());
          assertThat(resp.statusCode()).as(a.getKey() + ": " + resp.body()).isEqualTo(401);
          assertThat(code(resp)).as(a.getKey()).isIn("missing_api_key", "invalid_api_key");
          assertRequestId(resp);
          assertThat(resp.body()).doesNotContain(TOKEN);
        }
        assertThat(logs.lines()).anyMatch(l -> l.contains("internal dispatch request") && l.contains("missing_api_key"));
        assertThat(logs.lines()).noneMatch(l -> l.contains(TOKEN.substring(0, 32)));
      }
      assertThat(r.rawReceived).noneMatch(f -> f.contains("\"job\""));
    }
    assertThat(ledger()).isEmpty();
  }

  @Test
  void internalDispatch_everyCustomerKeyType_isRefusedAndNothingDispatched() throws Exception {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("sk", sk);
    keys.put("pk", nodeB.keys().create(KeyType.PK, envId, "p", Set.of()).plaintext().revealUtf8());
    keys.put("ik", nodeB.keys().create(KeyType.IK, envId, "i", Set.of()).plaintext().revealUtf8());
    keys.put("lp", nodeB.keys().create(KeyType.LP, envId, "l", Set.of("items:query")).plaintext().revealUtf8());
    keys.put("rk", edge1.token().revealUtf8());
    assertThat(keys.keySet()).hasSize(KeyType.values().length);
    try (LogCapture logs = new LogCapture(Map.of("dev.lensgate", ch.qos.logback.classic.Level.DEBUG));
        FakeRunner r = connectedToB()) {
      for (Map.Entry<String, String> k : keys.entrySet()) {
        assertThat(k.getValue()).startsWith(k.getKey() + "_");
        HttpResponse<String> resp = postInternal(nodeB.internalDispatchPort(), "Bearer " + k.getValue(), job());
        assertThat(resp.statusCode()).as(k.getKey() + ": " + resp.body()).isEqualTo(401);
        assertThat(code(resp)).as(k.getKey()).isEqualTo("invalid_api_key");
        assertRequestId(resp);
      }
      assertThat(r.rawReceived).noneMatch(f -> f.contains("\"job\""));
      assertThat(logs.lines()).anyMatch(l -> l.contains("internal dispatch request") && l.contains("invalid_api_key"));
      for (String key : keys.values()) {
        assertThat(logs.lines()).noneMatch(l -> l.contains(key));
      }
    }
    assertThat(ledger()).isEmpty();
  }

  @Test
  void internalDispatch_malformedOrOversizedBody_is4xxWithCode() throws Exception {
    int port = nodeB.internalDispatchPort();
    String auth = "Bearer " + TOKEN;
    Map<String, String> invalid = new LinkedHashMap<>();
    invalid.put("not an object", "[1]");
    invalid.put("unknown field", job().replace("\"kind\"", "\"credentials\":{},\"kind\""));
    invalid.put("bad kind", job().replace("\"query\"", "\"drop\""));
    invalid.put("no runners", job().replace("[\"edge-1\"]", "[]"));
    invalid.put("bad org", job().replace(orgId, "org_other"));
    invalid.put("unknown env", job().replace(envId, "env_unknown"));
    invalid.put("source not via runners", job().replace("\"local\"", "\"elsewhere\""));
    invalid.put("runner not assigned", job().replace("[\"edge-1\"]", "[\"edge-9\"]"));
    invalid.put("bad lens", job().replace("\"integer\"", "\"blob\""));
    invalid.put("deadline too long", job().replace("\"deadlineMillis\":" + DEADLINE_MS, "\"deadlineMillis\":99999999"));
    invalid.put("empty", "");
    for (Map.Entry<String, String> c : invalid.entrySet()) {
      HttpResponse<String> resp = postInternal(port, auth, c.getValue());
      assertThat(resp.statusCode()).as(c.getKey() + ": " + resp.body()).isEqualTo(400);
      assertThat(code(resp)).as(c.getKey()).isEqualTo("invalid_request");
      assertRequestId(resp);
    }
    HttpResponse<String> broken = postInternal(port, auth, "{\"orgId\":");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(code(broken)).isEqualTo("invalid_json");

    String tooLarge = postHeadOnly(port, auth, 2 << 20);
    assertThat(tooLarge).startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");
    assertThat(tooLarge.toLowerCase(java.util.Locale.ROOT)).contains("x-request-id: ");
    assertThat(ledger()).isEmpty();
  }

  @Test
  void internalDispatch_onPublicPorts_is404() throws Exception {
    for (Gateway g : List.of(nodeA, nodeB)) {
      for (String path : List.of("/internal/dispatch", "/internal/dispatch/stream")) {
        HttpResponse<String> resp = postInternal(g.port(), path, "Bearer " + TOKEN, job());
        assertThat(resp.statusCode()).as(path + ": " + resp.body()).isEqualTo(404);
        assertThat(code(resp)).isEqualTo("not_found");
        assertRequestId(resp);
      }
    }
    assertThat(nodeB.http().routes()).noneMatch(r -> r.path().startsWith("/internal"));
    assertThat(ledger()).isEmpty();
  }

  @Test
  void runnerFacingNode_runsNoSyncs_andOffersNoStream_theApiNodeDoes() throws Exception {
    assertThat(nodeA.runsSyncs()).isTrue();
    assertThat(nodeB.runsSyncs()).as("a sync claimed on B would update an index no search reads").isFalse();
    assertThat(streamHandshakeStatus(nodeA)).as("API node: the stream exists, the key is refused").isEqualTo(401);
    assertThat(streamHandshakeStatus(nodeB)).as("runner-facing node: no stream route").isEqualTo(404);
  }

  private int streamHandshakeStatus(Gateway g) {
    return handshakeStatus(http.newWebSocketBuilder().header("Authorization", "Bearer sk_not_a_key")
        .buildAsync(URI.create("ws://127.0.0.1:" + g.port() + "/v1/stream"), new java.net.http.WebSocket.Listener() { }));
  }

  @Test
  void internalListener_servesNoPublicRoute() throws Exception {
    for (Route route : nodeB.http().routes()) {
      String path = route.path().replaceAll("\\{[^}]+}", "items");
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeB.internalDispatchPort() + path))
          .header("Authorization", "Bearer " + sk);
      b = route.method() == Route.Method.GET ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{}"));
      HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).as("%s on the internal port", path).isIn(404, 405);
      assertRequestId(resp);
    }
  }

  // ---- the internal token on public routes -----------------------------------------------------

  @Test
  void internalToken_onEveryAuthenticatedPublicRoute_is401InvalidApiKey() throws Exception {
    try (FakeRunner r = connectedToB()) {
      for (Gateway g : List.of(nodeA, nodeB)) {
        List<String> checked = new ArrayList<>();
        for (Route route : g.http().routes()) {
          if (!route.authenticated()) {
            continue; // health and the OpenAPI document take no key at all
          }
          String path = route.path().replaceAll("\\{[^}]+}", "items");
          HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
              .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
          b = route.method() == Route.Method.GET ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{}"));
          HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
          assertThat(resp.statusCode()).as("%s %s: %s", route.method(), path, resp.body()).isEqualTo(401);
          assertThat(code(resp)).isEqualTo("invalid_api_key");
          assertRequestId(resp);
          checked.add(route.method() + " " + route.path());
        }
        assertThat(checked).contains("POST /v1/query/{lens}");

        // The runner socket: the token as the connect token, and as a bearer header.
        assertThat(handshakeStatus(FakeRunner.connect(g.port(), TOKEN))).isEqualTo(401);
        for (String query : new String[] {"", "?token=" + TOKEN}) {
          CompletableFuture<java.net.http.WebSocket> ws = http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + TOKEN)
              .buildAsync(URI.create("ws://127.0.0.1:" + g.port() + RunnerEndpoint.PATH + query),
                  new java.net.http.WebSocket.Listener() { });
          try {
            ws.get(10, TimeUnit.SECONDS).abort();
            throw new AssertionError("runner socket opened with the internal token as bearer" + query);
          } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            HttpResponse<?> refused = ((WebSocketHandshakeException) e.getCause()).getResponse();
            assertThat(refused.statusCode()).as("bearer header%s", query).isEqualTo(401);
          }
        }
      }
      assertThat(r.rawReceived).noneMatch(f -> f.contains("\"job\""));
      assertThat(nodeB.runnerSessions().openSessions(edge1.info().id())).as("the real runner is untouched").isEqualTo(1);
    }
    assertThat(ledger()).isEmpty();
  }

  /** The status a refused WebSocket handshake got; an accepted one fails the test. */
  private static int handshakeStatus(CompletableFuture<?> attempt) {
    try {
      Object opened = attempt.get(10, TimeUnit.SECONDS);
      if (opened instanceof java.net.http.WebSocket) {
        ((java.net.http.WebSocket) opened).abort();
      } else if (opened instanceof AutoCloseable) {
        ((AutoCloseable) opened).close();
      }
      throw new AssertionError("the handshake was accepted: " + opened);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- start-up --------------------------------------------------------------------------------

  @Test
  void start_tokenShorterThan32Chars_isRefusedWithClearMessage() {
    assertThatThrownBy(() -> node(Map.of(InternalDispatchSettings.TOKEN, "x".repeat(31),
        InternalDispatchSettings.ADDRESS, "127.0.0.1:0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(InternalDispatchSettings.TOKEN)
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining("x".repeat(31));
  }

  @Test
  void start_runnerFacingNode_bindsTheConfiguredLoopbackAddressOnly() throws Exception {
    int internal = nodeB.internalDispatchPort();
    assertThat(internal).isPositive().isNotEqualTo(nodeB.port());
    assertThat(nodeB.internalDispatchPort()).isNotEqualTo(-1);
    // Nothing answers on a non-loopback address of this host at the internal port.
    for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (java.net.InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || !(a instanceof java.net.Inet4Address)) {
          continue;
        }
        try (java.net.Socket s = new java.net.Socket()) {
          s.connect(new java.net.InetSocketAddress(a, internal), 1000);
          throw new AssertionError("internal listener reachable on " + a.getHostAddress());
        } catch (java.net.ConnectException | java.net.SocketTimeoutException expected) {
          // refused: bound to loopback only
        }
      }
    }
  }
}
