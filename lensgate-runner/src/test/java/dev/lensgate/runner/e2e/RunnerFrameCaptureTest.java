package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Query;
import dev.lensgate.client.Where;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every frame of a runner session, captured on the wire: a recording TCP proxy sits between the
 * real runner and the real gateway (plain {@code ws://} on loopback, so the bytes are readable),
 * and {@link WsFrames} turns both directions into frames, client masking undone. The runner-local
 * source's URL, user and password each carry a credential sentinel; a row and the {@code where}
 * values carry data sentinels; a managed source is read in the same session.
 *
 * <p>Then: no captured byte of either direction holds a runner-local credential sentinel; no
 * {@code runner_jobs} column and no {@code request_log} column holds a data or credential sentinel.
 * Positive controls keep the scan honest: the capture holds job and result frames, the row
 * sentinel in a (masked) result frame, the {@code where} sentinel in a job frame, and the managed
 * source's URL marker in its job frames (managed credentials do travel, by design).
 */
class RunnerFrameCaptureTest {
  private static final String MARK = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  /** Runner-local credentials: lower-case, as the role name must be. */
  private static final String CRED = "lgcred" + MARK;
  private static final String URL_SENTINEL = CRED + "url";
  private static final String USER_SENTINEL = CRED + "user";
  private static final String PASSWORD_SENTINEL = CRED + "pw";
  private static final String DATA = "lgdata" + MARK;
  private static final String ROW_SENTINEL = DATA + "row";
  private static final String WHERE_SENTINEL = DATA + "where";
  private static final String MANAGED_URL_MARKER = "lgmanaged" + MARK;

  @TempDir Path dataDir;
  private TestDatabase db;
  private E2eGateway gw;
  private RecordingProxy proxy;
  private boolean roleCreated;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.postgres();
    ItemsSetup.createItems(db, 4242L);
    db.execute("INSERT INTO items VALUES (1000, '" + ROW_SENTINEL + "', 7, 'gold', true)");
    db.execute("CREATE ROLE " + USER_SENTINEL + " LOGIN PASSWORD '" + PASSWORD_SENTINEL + "'",
        "GRANT USAGE ON SCHEMA " + db.name() + " TO " + USER_SENTINEL,
        "GRANT SELECT ON items TO " + USER_SENTINEL);
    roleCreated = true;
  }

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    if (gw != null) {
      gw.close();
    }
    if (roleCreated) {
      db.execute("DROP OWNED BY " + USER_SENTINEL, "DROP ROLE " + USER_SENTINEL);
    }
    db.close();
  }

  @Test
  void capturedFrames_holdNoRunnerLocalCredential_andLedgerAndRequestLogHoldNoValues() throws Exception {
    gw = E2eGateway.start(dataDir.resolve("data"), Map.of());
    CreatedRunner edge1 = gw.createRunner(ItemsSetup.RUNNER);
    gw.push(ItemsSetup.config());
    gw.connect("direct", db.jdbcUrl(), db.user(), db.password());
    gw.connect("managed", db.jdbcUrl() + "&ApplicationName=" + MANAGED_URL_MARKER, db.user(), db.password());
    proxy = RecordingProxy.start(gw.port());
    Map<String, String> env = Map.of("LENSGATE_SOURCE_AIRGAP_URL", db.jdbcUrl() + "&ApplicationName=" + URL_SENTINEL,
        "LENSGATE_SOURCE_AIRGAP_USER", USER_SENTINEL, "LENSGATE_SOURCE_AIRGAP_PASSWORD", PASSWORD_SENTINEL);
    LensgateClient client = gw.client();
    int jobs = 0;
    try (InProcessRunner runner = InProcessRunner.startOnline(proxy.port(), ItemsSetup.RUNNER,
        edge1.token().revealUtf8(), env)) {
      for (String lens : List.of("airgap", "managed")) {
        assertThat(client.query(lens, Query.all().orderBy("id").limit(1000)).rows()).as(lens).hasSize(ItemsSetup.ROWS + 1);
        assertThat(client.query(lens, Query.where(Where.eq("name", ROW_SENTINEL))).rows()).as(lens).hasSize(1);
        assertThat(client.query(lens, Query.where(Where.or(Where.eq("name", WHERE_SENTINEL),
            Where.in("tier", WHERE_SENTINEL + "a", WHERE_SENTINEL + "b")))).rows()).as(lens).isEmpty();
        assertThat(client.queryAll(lens, Query.where(Where.startsWith("name", DATA)).limit(1))
            .collect(Collectors.toList())).as(lens).hasSize(1);
        jobs += 4;
      }
      LensgateApiException e = catchThrowableOfType(() -> client.query("airgap", Query.where(Where.eq("score", "not a number"))),
          LensgateApiException.class);
      assertThat(e).as("a bad read, refused before any dispatch").isNotNull();
      assertThat(e.status()).isEqualTo(400);
    }
    Waits.awaitTrue(Duration.ofSeconds(5), () -> gw.gateway().runnerSessions().size() == 0, "session closed");
    gw.gateway().flushRunnerLedger();
    gw.gateway().flushRequestLog();
    proxy.close();

    List<WsFrames.Stream> toGateway = new ArrayList<>();
    List<WsFrames.Stream> toRunner = new ArrayList<>();
    List<byte[]> raw = new ArrayList<>();
    for (RecordingProxy.Capture c : proxy.captures()) {
      toGateway.add(WsFrames.parse(c.toGateway()));
      toRunner.add(WsFrames.parse(c.toRunner()));
      raw.add(c.toGateway());
      raw.add(c.toRunner());
    }
    assertThat(toGateway).as("one proxied connection").hasSize(1);
    // The token travels in the Authorization header, never in the request line (proxies log those).
    assertThat(toGateway.get(0).httpHead).startsWith("GET /v1/runner/connect HTTP/1.1").contains("Authorization: Bearer rk_");
    assertThat(toRunner.get(0).httpHead).startsWith("HTTP/1.1 101");
    List<WsFrames.Frame> runnerFrames = toGateway.get(0).frames;
    List<WsFrames.Frame> gatewayFrames = toRunner.get(0).frames;
    assertThat(runnerFrames).as("runner frames are masked, uncompressed").isNotEmpty()
        .allSatisfy(f -> {
          assertThat(f.masked).isTrue();
          assertThat(f.rsv).isZero();
        });
    assertThat(gatewayFrames).as("gateway frames are unmasked, uncompressed").isNotEmpty()
        .allSatisfy(f -> {
          assertThat(f.masked).isFalse();
          assertThat(f.rsv).isZero();
        });
    List<String> fromRunner = toGateway.get(0).messages();
    List<String> fromGateway = toRunner.get(0).messages();
    System.out.printf("captured %d frames runner->gateway (%d bytes), %d frames gateway->runner (%d bytes)%n",
        runnerFrames.size(), raw.get(0).length, gatewayFrames.size(), raw.get(1).length);

    // Positive controls: the capture is complete enough for the scan to mean something.
    assertThat(types(fromGateway)).contains("hello", "job");
    assertThat(types(fromRunner)).contains("result");
    assertThat(fromGateway.stream().filter(m -> type(m).equals("job"))).as("job frames").hasSizeGreaterThanOrEqualTo(jobs);
    assertThat(fromRunner).as("a result frame carries the row sentinel (masked on the wire)")
        .anyMatch(m -> type(m).equals("result") && m.contains(ROW_SENTINEL));
    assertThat(fromGateway).as("a job frame carries the where sentinel")
        .anyMatch(m -> type(m).equals("job") && m.contains(WHERE_SENTINEL));
    assertThat(fromGateway).as("managed credentials do travel in job frames")
        .anyMatch(m -> type(m).equals("job") && m.contains(MANAGED_URL_MARKER) && m.contains("\"credentials\""));
    assertThat(fromGateway).as("runner-local jobs carry no credentials object")
        .filteredOn(m -> type(m).equals("job") && m.contains("\"source\":\"airgap\""))
        .isNotEmpty().noneMatch(m -> m.contains("\"credentials\""));

    // The scan: no runner-local credential anywhere on the wire, in either direction.
    for (WsFrames.Stream s : List.of(toGateway.get(0), toRunner.get(0))) {
      assertThat(s.httpHead).doesNotContain(CRED);
      assertThat(s.messages()).as("messages").noneMatch(m -> m.contains(CRED));
      assertThat(s.frames.stream().map(WsFrames.Frame::text)).as("frames").noneMatch(t -> t.contains(CRED));
    }
    for (byte[] bytes : raw) {
      assertThat(WsFrames.indexOf(bytes, CRED.getBytes(StandardCharsets.UTF_8))).as("raw bytes").isNegative();
    }

    // The ledger and the request log: no values at all, neither data nor credentials.
    List<RunnerJobRow> ledger = gw.gateway().runnerJobs().since(Instant.EPOCH);
    assertThat(ledger).as("runner_jobs rows").hasSizeGreaterThanOrEqualTo(jobs);
    List<String> ledgerRows = gw.tableRows("RUNNER_JOBS");
    assertThat(ledgerRows).hasSize(ledger.size());
    List<String> requestLog = gw.tableRows("REQUEST_LOG");
    assertThat(requestLog).as("request_log rows").hasSizeGreaterThanOrEqualTo(jobs + 1);
    for (String row : concat(ledgerRows, requestLog, ledger.stream().map(RunnerJobRow::toString).collect(Collectors.toList()))) {
      assertThat(row).doesNotContain(MARK);
    }
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    out.addAll(c);
    return out;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String type(String message) {
    try {
      JsonNode n = JSON.readTree(message);
      return n.path("type").asText("");
    } catch (Exception e) {
      return "";
    }
  }

  private static List<String> types(List<String> messages) {
    return messages.stream().map(RunnerFrameCaptureTest::type).collect(Collectors.toList());
  }
}
