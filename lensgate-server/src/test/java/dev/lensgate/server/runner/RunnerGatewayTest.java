package dev.lensgate.server.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import java.io.IOException;
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
 * The gateway's runner side end to end: a real gateway on a free port, a fake runner on a real
 * WebSocket, real HTTP queries. No mocks.
 */
class RunnerGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SENTINEL = "SENTINEL_7f3a9c_runner";
  private static final long DEADLINE_MS = 1500;

  @TempDir
  Path dataDir;
  private Gateway gateway;
  private String envId;
  private String sk;
  private CreatedRunner edge1;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0),
        Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, Long.toString(DEADLINE_MS), RunnerSettings.MAX_IN_FLIGHT, "1"), 0, 0, Duration.ZERO, "runner-test");
    gateway = Gateway.start(settings, Clock.systemUTC());
    envId = gateway.store().defaultEnvironment().id();
    sk = gateway.keys().create(KeyType.SK, envId, "test", Set.of()).plaintext().revealUtf8();
    edge1 = gateway.runners().create(gateway.store().defaultOrg().id(), "edge-1");
    String yaml = "stack: lensgate/v1\n"
        + "sources:\n"
        + "  local:\n    type: postgres\n    runners: [edge-1]\n    credentials: runner-local\n"
        + "  managed:\n    type: postgres\n    runners: [edge-1]\n"
        + "  nobody:\n    type: postgres\n    runners: [edge-9]\n    credentials: runner-local\n"
        + "lenses:\n" + lens("items", "local") + lens("secure", "managed") + lens("orphan", "nobody")
        + "defaults:\n  grants: strict\n";
    assertThat(ConfigLoader.parse(yaml, "t.yaml").errors()).isEmpty();
    gateway.configs().push(envId, yaml);
    gateway.refreshConfigs();
    try (SecretBytes pw = SecretBytes.fromUtf8(SENTINEL + "_pw")) {
      gateway.sources().connect(envId, "managed", "jdbc:postgresql://10.0.0.9:5432/shop", "reader", pw);
    }
  }

  private static String lens(String name, String source) {
    return "  " + name + ":\n    source: " + source + "\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string }\n"
        + "    grants:\n      query: public\n";
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private String token() {
    return edge1.token().revealUtf8();
  }

  private FakeRunner connected() throws Exception {
    FakeRunner r = FakeRunner.connect(gateway.port(), token()).get(10, TimeUnit.SECONDS);
    JsonNode hello = r.next("hello");
    assertThat(hello.path("runnerId").asText()).isEqualTo(edge1.info().id());
    // '*': any managed source; runner-local sources must be named
    r.heartbeat("*", "local");
    return r;
  }

  private CompletableFuture<HttpResponse<String>> query(String lens, String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/query/" + lens))
        .header("Authorization", "Bearer " + sk).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  private static String code(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body()).path("error").path("code").asText(null);
  }

  private static int handshakeStatus(String port, CompletableFuture<FakeRunner> attempt) {
    try {
      attempt.get(10, TimeUnit.SECONDS);
      throw new AssertionError("connection on " + port + " was accepted");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void connect_validToken_getsHelloWithHeartbeatInterval() throws Exception {
    try (FakeRunner r = FakeRunner.connect(gateway.port(), token()).get(10, TimeUnit.SECONDS)) {
      JsonNode hello = r.next("hello");
      assertThat(hello.path("heartbeatSeconds").asInt()).isEqualTo(25);
      assertThat(hello.path("sessionId").asText()).isNotBlank();
      assertThat(gateway.runnerSessions().openSessions(edge1.info().id())).isEqualTo(1);
    }
  }

  @Test
  void connect_unknownOrMalformedToken_isRefusedBeforeUpgrade() {
    String unknown = gateway.runners().create(gateway.store().defaultOrg().id(), "edge-x").token().revealUtf8();
    String tampered = unknown.substring(0, unknown.length() - 1) + (unknown.endsWith("A") ? "B" : "A");
    assertThat(handshakeStatus("tampered", FakeRunner.connect(gateway.port(), tampered))).isEqualTo(401);
    assertThat(handshakeStatus("garbage", FakeRunner.connect(gateway.port(), "nope"))).isEqualTo(401);
    assertThat(handshakeStatus("missing", FakeRunner.connect(gateway.port(), ""))).isEqualTo(401);
    assertThat(gateway.runnerSessions().size()).isZero();
  }

  @Test
  void connect_tokenInAuthorizationHeader_isAcceptedAndAWrongOneRefused() throws Exception {
    try (FakeRunner r = FakeRunner.connectWithHeader(gateway.port(), "Bearer " + token()).get(10, TimeUnit.SECONDS)) {
      assertThat(r.next("hello").path("runnerId").asText()).isEqualTo(edge1.info().id());
    }
    assertThat(handshakeStatus("garbage", FakeRunner.connectWithHeader(gateway.port(), "Bearer nope"))).isEqualTo(401);
    assertThat(handshakeStatus("scheme", FakeRunner.connectWithHeader(gateway.port(), "Basic " + token()))).isEqualTo(401);
    assertThat(handshakeStatus("sk", FakeRunner.connectWithHeader(gateway.port(), "Bearer " + sk))).isEqualTo(403);
  }

  @Test
  void connect_upgradeResponse_setsNoCookie() throws Exception {
    String head = rawUpgrade("Authorization: Bearer " + token());
    assertThat(head).startsWith("HTTP/1.1 101");
    assertThat(head.toLowerCase(java.util.Locale.ROOT)).doesNotContain("set-cookie").doesNotContain("jsessionid");
  }

  @Test
  void connect_refusedUpgrade_carriesARequestIdAndTheErrorEnvelope() throws Exception {
    String head = rawUpgrade("Authorization: Bearer nope");
    assertThat(head).startsWith("HTTP/1.1 401");
    assertThat(head.toLowerCase(java.util.Locale.ROOT)).contains("x-request-id: ").doesNotContain("set-cookie")
        .doesNotContain("content-length: 0");
    assertThat(rawUpgradeBody("Authorization: Bearer nope")).contains("\"code\":\"invalid_api_key\"").contains("\"requestId\":\"req_");
  }

  /** The response head of a hand-written upgrade request (java.net.http hides the 101's headers). */
  private String rawUpgrade(String authorizationLine) throws IOException {
    return rawUpgrade(authorizationLine, false);
  }

  /** The body after the head of a refused upgrade (up to its Content-Length). */
  private String rawUpgradeBody(String authorizationLine) throws IOException {
    return rawUpgrade(authorizationLine, true);
  }

  private String rawUpgrade(String authorizationLine, boolean body) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      String request = "GET /v1/runner/connect HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + authorizationLine + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      StringBuilder head = new StringBuilder();
      java.io.InputStream in = socket.getInputStream();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      if (!body) {
        return head.toString();
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
      assertThat(m.find()).as("content-length in %s", head).isTrue();
      return new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
    }
  }

  @Test
  void connect_revokedToken_isRefusedBeforeUpgrade() {
    gateway.keys().revoke(edge1.info().keyId());
    assertThat(handshakeStatus("revoked", FakeRunner.connect(gateway.port(), token()))).isEqualTo(401);
  }

  @Test
  void connect_nonRunnerKeys_areRefusedWith403() {
    String pk = gateway.keys().create(KeyType.PK, envId, "p", Set.of()).plaintext().revealUtf8();
    assertThat(handshakeStatus("pk", FakeRunner.connect(gateway.port(), pk))).isEqualTo(403);
    assertThat(handshakeStatus("sk", FakeRunner.connect(gateway.port(), sk))).isEqualTo(403);
  }

  @Test
  void query_throughRunner_returnsTheRunnersRowsAndShipsNoSql() throws Exception {
    try (FakeRunner r = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("items", "{\"where\":{\"title\":\"a\"},\"limit\":2}");
      JsonNode job = r.next("job");
      assertThat(job.path("kind").asText()).isEqualTo("query");
      assertThat(job.path("source").asText()).isEqualTo("local");
      assertThat(job.has("credentials")).as("runner-local ships no credentials").isFalse();
      assertThat(job.path("lens").path("table").asText()).isEqualTo("items");
      assertThat(job.path("spec").path("where").toString()).contains("title");
      assertThat(job.toString().toLowerCase()).doesNotContain("select ").doesNotContain("from items");
      String jobId = job.path("jobId").asText();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":1,\"title\":\"a\"}],"
          + "\"done\":false,\"rowCount\":1,\"durationMs\":1}");
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":2,\"title\":\"a\"}],"
          + "\"done\":true,\"rowCount\":2,\"durationMs\":2,\"next\":[\"2\"]}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(resp.body());
      assertThat(body.path("rows").toString()).isEqualTo("[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"a\"}]");
      String cursor = body.path("meta").path("nextCursor").asText();
      assertThat(cursor).isNotBlank();

      // The signed cursor goes back to the runner as a keyset position, not as the cursor.
      CompletableFuture<HttpResponse<String>> page2 = query("items", "{\"where\":{\"title\":\"a\"},\"limit\":2,\"cursor\":\"" + cursor + "\"}");
      JsonNode job2 = r.next("job");
      assertThat(job2.path("spec").path("after").toString()).isEqualTo("[\"2\"]");
      r.send("{\"type\":\"result\",\"jobId\":\"" + job2.path("jobId").asText() + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      assertThat(page2.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void query_runnerRowWithUndeclaredField_is502RunnerFailed() throws Exception {
    try (FakeRunner r = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":1,\"password\":\"x\"}],"
          + "\"done\":true,\"rowCount\":1,\"durationMs\":1}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).isEqualTo(502);
      assertThat(code(resp)).isEqualTo("runner_failed");
      assertThat(resp.body()).doesNotContain("password");
    }
  }

  @Test
  void query_managedSource_shipsDecryptedCredentialsAndLedgerHoldsNoValues() throws Exception {
    try (FakeRunner r = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("secure", "{\"where\":{\"title\":\"" + SENTINEL + "_where\"}}");
      JsonNode job = r.next("job");
      assertThat(job.path("credentials").path("password").asText()).isEqualTo(SENTINEL + "_pw");
      assertThat(job.path("credentials").path("user").asText()).isEqualTo("reader");
      r.send("{\"type\":\"result\",\"jobId\":\"" + job.path("jobId").asText() + "\",\"rows\":[{\"id\":7,\"title\":\""
          + SENTINEL + "_row\"}],\"done\":true,\"rowCount\":1,\"durationMs\":3}");
      assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    gateway.flushRunnerLedger();
    List<RunnerJobRow> ledger = gateway.runnerJobs().since(Instant.EPOCH);
    assertThat(ledger).hasSize(1);
    RunnerJobRow row = ledger.get(0);
    assertThat(row.status()).isEqualTo("succeeded");
    assertThat(row.rowCount()).isEqualTo(1);
    assertThat(row.runnerId()).contains(edge1.info().id());
    assertThat(row.source()).isEqualTo("managed");
    assertThat(row.kind()).isEqualTo("query");
    assertThat(row.toString()).doesNotContain(SENTINEL);
  }

  @Test
  void query_noRunnerOnline_is503() throws Exception {
    HttpResponse<String> resp = query("items", "{}").get(10, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).isEqualTo(503);
    assertThat(code(resp)).isEqualTo("no_runners_online");
    try (FakeRunner r = connected()) {
      // a connected runner that is not assigned to the source does not count
      HttpResponse<String> other = query("orphan", "{}").get(10, TimeUnit.SECONDS);
      assertThat(code(other)).isEqualTo("no_runners_online");
    }
    gateway.flushRunnerLedger();
    assertThat(gateway.runnerJobs().since(Instant.EPOCH)).extracting(j -> j.errorCode().orElse(""))
        .containsOnly("no_runners_online");
  }

  @Test
  void query_runnerDropsMidJob_is502RunnerFailedQuickly() throws Exception {
    FakeRunner r = connected();
    CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
    r.next("job");
    long t0 = System.nanoTime();
    r.abort();
    HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("runner drop -> 502 in " + ms + " ms");
    assertThat(resp.statusCode()).isEqualTo(502);
    assertThat(code(resp)).isEqualTo("runner_failed");
    assertThat(ms).as("liveness bound only; far below the %d ms deadline", DEADLINE_MS).isLessThan(DEADLINE_MS);
  }

  @Test
  void query_pastDeadline_is504AndRunnerGetsCancel() throws Exception {
    try (FakeRunner r = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).isEqualTo(504);
      assertThat(code(resp)).isEqualTo("upstream_timeout");
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
      // A late answer is ignored, not an error.
      long ignored = gateway.dispatcher().ignoredFrames();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      r.heartbeat("*", "local");
      waitUntil(() -> gateway.dispatcher().ignoredFrames() == ignored + 1);
    }
    gateway.flushRunnerLedger();
    assertThat(gateway.runnerJobs().since(Instant.EPOCH)).extracting(RunnerJobRow::status).containsExactly("timed_out");
  }

  @Test
  void query_runnerReportsSourceUnreachable_is502SourceUnreachable() throws Exception {
    try (FakeRunner r = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"error\",\"jobId\":\"" + jobId + "\",\"code\":\"source_unreachable\",\"message\":\"" + SENTINEL + "\"}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.statusCode()).isEqualTo(502);
      assertThat(code(resp)).isEqualTo("source_unreachable");
      assertThat(resp.body()).doesNotContain(SENTINEL);
    }
  }

  @Test
  void frames_forUnknownJobs_areIgnoredAndMalformedFramesCloseTheSocket() throws Exception {
    FakeRunner r = connected();
    r.send("{\"type\":\"result\",\"jobId\":\"nope\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
    r.send("{\"type\":\"error\",\"jobId\":\"nope\",\"code\":\"x\",\"message\":\"m\"}");
    waitUntil(() -> gateway.dispatcher().ignoredFrames() == 2);
    r.send("{\"type\":\"result\",\"jobId\":");
    assertThat(r.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    FakeRunner again = connected();
    again.send("{\"type\":\"job\",\"jobId\":\"j\"}");
    assertThat(again.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    // the gateway keeps serving runners and requests
    try (FakeRunner third = connected()) {
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = third.next("job").path("jobId").asText();
      third.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void revoke_openSocket_getsRefusedAndCloseWithinOneSecond() throws Exception {
    FakeRunner r = connected();
    long t0 = System.nanoTime();
    gateway.keys().revoke(edge1.info().keyId());
    JsonNode refused = r.next("refused");
    int status = r.closed.get(5, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("runner revoke -> refused + close in " + ms + " ms");
    assertThat(refused.path("code").asText()).isEqualTo("key_revoked");
    assertThat(status).isEqualTo(1008);
    assertThat(ms).as("liveness bound; the contract's target is < 1 s").isLessThan(5000);
    assertThat(gateway.runnerSessions().openSessions(edge1.info().id())).isZero();
  }

  @Test
  void revoke_otherKey_leavesRunnerConnected() throws Exception {
    try (FakeRunner r = connected()) {
      gateway.keys().revoke(gateway.runners().create(gateway.store().defaultOrg().id(), "edge-2").info().keyId());
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(r.closed).isNotDone();
    }
  }

  @Test
  void query_runnerSocketFull_is503UntilASlotFrees() throws Exception {
    try (FakeRunner r = connected()) {
      CompletableFuture<HttpResponse<String>> first = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      HttpResponse<String> second = query("items", "{}").get(10, TimeUnit.SECONDS);
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(code(second)).isEqualTo("no_runners_online");
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      CompletableFuture<HttpResponse<String>> third = query("items", "{}");
      String jobId3 = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId3 + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      assertThat(third.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void result_fromAnotherRunnersSocket_isIgnored() throws Exception {
    CreatedRunner edge2 = gateway.runners().create(gateway.store().defaultOrg().id(), "edge-2");
    try (FakeRunner r = connected();
        FakeRunner intruder = FakeRunner.connect(gateway.port(), edge2.token().revealUtf8()).get(10, TimeUnit.SECONDS)) {
      intruder.next("hello");
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      intruder.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":666,\"title\":\"forged\"}],"
          + "\"done\":true,\"rowCount\":1,\"durationMs\":0}");
      waitUntil(() -> gateway.dispatcher().ignoredFrames() == 1);
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[{\"id\":1,\"title\":\"real\"}],"
          + "\"done\":true,\"rowCount\":1,\"durationMs\":0}");
      HttpResponse<String> resp = answer.get(10, TimeUnit.SECONDS);
      assertThat(resp.body()).contains("real").doesNotContain("forged");
    }
  }

  @Test
  void logs_ofConnectRefuseQueryAndRevoke_neverContainTheToken() throws Exception {
    ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Logger ours = ctx.getLogger("dev.lensgate");
    ch.qos.logback.classic.Level saved = ours.getLevel();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    root.addAppender(appender);
    ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try {
      String pk = gateway.keys().create(KeyType.PK, envId, "p", Set.of()).plaintext().revealUtf8();
      handshakeStatus("pk", FakeRunner.connect(gateway.port(), pk));
      FakeRunner r = connected();
      CompletableFuture<HttpResponse<String>> answer = query("items", "{}");
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}");
      answer.get(10, TimeUnit.SECONDS);
      r.send("{\"type\":\"nonsense\"}");
      r.closed.get(5, TimeUnit.SECONDS);
      FakeRunner again = connected();
      gateway.keys().revoke(edge1.info().keyId());
      again.closed.get(5, TimeUnit.SECONDS);
      handshakeStatus("revoked", FakeRunner.connect(gateway.port(), token()));
    } finally {
      root.detachAppender(appender);
      ours.setLevel(saved);
    }
    String body = token().substring(token().lastIndexOf('_') + 1);
    assertThat(appender.list).as("the capture sees the runner's own log lines")
        .anyMatch(e -> e.getFormattedMessage().contains(edge1.info().id() + " (edge-1) connected"))
        .anyMatch(e -> e.getFormattedMessage().contains("key revoked"));
    for (ch.qos.logback.classic.spi.ILoggingEvent e : appender.list) {
      StringBuilder line = new StringBuilder(e.getFormattedMessage());
      for (ch.qos.logback.classic.spi.IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        line.append(' ').append(t.getMessage());
      }
      assertThat(line.toString()).doesNotContain(body).doesNotContain("token=");
    }
  }

  @Test
  void runnerStore_duplicateOrBadName_isRefused() {
    String org = gateway.store().defaultOrg().id();
    assertThatThrownBy(() -> gateway.runners().create(org, "edge-1")).hasMessageContaining("exists");
    assertThatThrownBy(() -> gateway.runners().create(org, "bad name")).hasMessageContaining("runner name");
    assertThat(edge1.toString()).doesNotContain(token());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(20);
    }
  }
}
