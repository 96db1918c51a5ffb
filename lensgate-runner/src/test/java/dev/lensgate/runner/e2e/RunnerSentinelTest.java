package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Query;
import dev.lensgate.client.Row;
import dev.lensgate.client.Where;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import ch.qos.logback.classic.Level;
import dev.lensgate.testkit.LogCapture;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security invariant 3 across the runner boundary: the runner-local source's database password is a
 * sentinel (a dedicated PostgreSQL role), and a row holds another. Reads through the real runner
 * succeed and fail in several ways while every log event of gateway and runner is captured at
 * TRACE. Then no captured log line, no {@code runner_jobs} row, no {@code request_log} row, no
 * other metadata row and no file of the gateway's data directory holds either sentinel.
 */
class RunnerSentinelTest {
  private static final String MARK = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String PASSWORD_SENTINEL = "SENTINEL-runner-pw-" + MARK;
  private static final String ROW_SENTINEL = "SENTINEL-runner-row-" + MARK;
  /** Role names are not secret (pools log them), so the role carries no mark. */
  private static final String ROLE = "lg_runner_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @TempDir Path dataDir;
  private TestDatabase db;
  private E2eGateway gw;
  private boolean roleCreated;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.postgres();
    ItemsSetup.createItems(db, 99L);
    db.execute("INSERT INTO items VALUES (1000, '" + ROW_SENTINEL + "', 7, 'gold', true)");
    db.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD_SENTINEL + "'",
        "GRANT USAGE ON SCHEMA " + db.name() + " TO " + ROLE,
        "GRANT SELECT ON items TO " + ROLE);
    roleCreated = true;
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    if (roleCreated) {
      db.execute("DROP OWNED BY " + ROLE, "DROP ROLE " + ROLE);
    }
    db.close();
  }

  @Test
  void runnerLocalPasswordAndRowValues_appearInNoLedgerRowRequestLogRowLogLineOrDataFile() throws Exception {
    List<String> lines;
    int runnerReads = 0;
    try (LogCapture logs = new LogCapture(Map.of("dev.lensgate", Level.TRACE))) {
      gw = E2eGateway.start(dataDir.resolve("data"), Map.of());
      CreatedRunner edge1 = gw.createRunner(ItemsSetup.RUNNER);
      gw.push(ItemsSetup.config("  ghost:\n    source: airgap\n    table: no_such_table\n    primaryKey: id\n"
          + "    fields:\n      id: { type: integer }\n    grants:\n      query: public\n"));
      LensgateClient client = gw.client();
      Map<String, String> env = Map.of("LENSGATE_SOURCE_AIRGAP_URL", db.jdbcUrl(),
          "LENSGATE_SOURCE_AIRGAP_USER", ROLE, "LENSGATE_SOURCE_AIRGAP_PASSWORD", PASSWORD_SENTINEL);

      try (InProcessRunner runner = InProcessRunner.startOnline(gw.port(), ItemsSetup.RUNNER,
          edge1.token().revealUtf8(), env)) {
        List<Row> all = client.query("airgap", Query.all().limit(1000)).rows();
        runnerReads++;
        assertThat(all).hasSize(ItemsSetup.ROWS + 1);
        List<Row> hit = client.query("airgap", Query.where(Where.eq("name", ROW_SENTINEL))).rows();
        runnerReads++;
        assertThat(hit).singleElement().satisfies(r -> assertThat(r.getString("name")).isEqualTo(ROW_SENTINEL));
        assertThat(client.queryAll("airgap", Query.where(Where.startsWith("name", "SENTINEL")).limit(1))
            .collect(Collectors.toList())).hasSize(1);
        runnerReads++; // at least one page; a second, empty page may follow

        assertThat(client.query("airgap", Query.where(Where.eq("name", PASSWORD_SENTINEL))).rows()).isEmpty();
        runnerReads++;

        LensgateApiException missingTable = catchThrowableOfType(
            () -> client.query("ghost", Query.where(Where.eq("id", 1))), LensgateApiException.class);
        runnerReads++;
        assertThat(missingTable).as("a runner job that fails in the database").isNotNull();
        assertThat(missingTable.status()).isEqualTo(502);
        assertThat(missingTable.errorMessage()).doesNotContain(MARK);
      }
      Waits.awaitTrue(Duration.ofSeconds(5), () -> gw.gateway().runnerSessions().size() == 0, "gateway saw the runner go");
      LensgateApiException offline = catchThrowableOfType(
          () -> client.query("airgap", Query.where(Where.eq("name", ROW_SENTINEL))), LensgateApiException.class);
      assertThat(offline.code()).isEqualTo("no_runners_online");

      gw.gateway().flushRunnerLedger();
      gw.gateway().flushRequestLog();
      lines = logs.lines();
    }

    List<RunnerJobRow> ledger = gw.gateway().runnerJobs().since(Instant.EPOCH);
    assertThat(ledger).as("runner_jobs rows").hasSizeGreaterThanOrEqualTo(runnerReads + 1);
    assertThat(ledger.stream().map(RunnerJobRow::toString).filter(this::marked)).as("ledger records").isEmpty();
    assertThat(gw.tableRows("RUNNER_JOBS")).hasSize(ledger.size());
    assertThat(gw.tableRows("RUNNER_JOBS").stream().filter(this::marked)).as("runner_jobs rows").isEmpty();
    List<String> requestLog = gw.tableRows("REQUEST_LOG");
    assertThat(requestLog).as("request_log rows").hasSizeGreaterThanOrEqualTo(runnerReads + 1);
    assertThat(requestLog.stream().filter(this::marked)).as("request_log rows").isEmpty();
    for (String table : gw.metadataTables()) {
      assertThat(gw.tableRows(table).stream().filter(this::marked)).as("metadata table %s", table).isEmpty();
    }

    assertThat(lines).as("captured log lines").anyMatch(l -> l.contains("RunnerConnection"))
        .anyMatch(l -> l.contains("runner.RunnerEndpoint"));
    assertThat(lines.stream().filter(this::marked).collect(Collectors.toList())).as("log lines with a sentinel").isEmpty();

    gw.close();
    gw = null;
    assertThat(filesContaining(dataDir.resolve("data"))).as("data dir files holding a sentinel").isEmpty();
  }

  private boolean marked(String text) {
    return text.contains(MARK) || text.contains("SENTINEL");
  }

  private static List<Path> filesContaining(Path root) throws IOException {
    List<Path> out = new ArrayList<>();
    byte[] needle = MARK.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
