package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Query;
import dev.lensgate.client.QueryResult;
import dev.lensgate.client.Row;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runner against the real gateway, both in this JVM, over a real loopback WebSocket and a
 * real PostgreSQL: reads through the runner (managed and runner-local credentials) answer exactly
 * what direct mode answers; a missing runner is 503, a runner dropping mid-job is a prompt 502; a
 * revoked runner key closes the socket and the runner does not redial quickly.
 */
class RunnerEndToEndTest {
  private static final long SEED = 20261123L;
  private static final int FILTERS = 40;

  @TempDir Path dataDir;
  private TestDatabase db;
  private E2eGateway gw;
  private CreatedRunner edge1;
  private LensgateClient client;
  private Map<String, String> runnerEnv;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.postgres();
    ItemsSetup.createItems(db, SEED);
    gw = E2eGateway.start(dataDir, Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, "20000"));
    edge1 = gw.createRunner(ItemsSetup.RUNNER);
    gw.push(ItemsSetup.config());
    gw.connect("direct", db.jdbcUrl(), db.user(), db.password());
    gw.connect("managed", db.jdbcUrl(), db.user(), db.password());
    runnerEnv = Map.of("LENSGATE_SOURCE_AIRGAP_URL", db.jdbcUrl(), "LENSGATE_SOURCE_AIRGAP_USER", db.user(),
        "LENSGATE_SOURCE_AIRGAP_PASSWORD", db.password());
    client = gw.client();
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    db.close();
  }

  private InProcessRunner startRunner() throws Exception {
    return InProcessRunner.startOnline(gw.port(), ItemsSetup.RUNNER, edge1.token().revealUtf8(), runnerEnv);
  }

  @Test
  void query_managedCredentialsThroughRunner_sameRowsAsDirectForRandomFiltersAndCursorWalks() throws Exception {
    try (InProcessRunner runner = startRunner()) {
      assertParity("managed");
    }
    assertLedgerHasSucceededJobs("managed");
  }

  @Test
  void query_runnerLocalCredentials_sameRowsAsDirectForRandomFiltersAndCursorWalks() throws Exception {
    try (InProcessRunner runner = startRunner()) {
      assertParity("airgap");
    }
    assertLedgerHasSucceededJobs("airgap");
  }

  private void assertParity(String lens) {
    RandomFilters filters = new RandomFilters(new Random(SEED + lens.hashCode()));
    int nonEmpty = 0;
    for (int i = 0; i < FILTERS; i++) {
      Query q = filters.fullRead();
      QueryResult direct = client.query("direct", q);
      QueryResult through = client.query(lens, q);
      assertThat(maps(through.rows())).as("read %d %s", i, q).isEqualTo(maps(direct.rows()));
      assertThat(through.rows().size()).as("read %d %s", i, q).isLessThan(ItemsSetup.ROWS + 1);
      nonEmpty += direct.rows().isEmpty() ? 0 : 1;
    }
    // Guards against a generator whose filters all select nothing (parity would then be vacuous).
    assertThat(nonEmpty).as("reads with rows").isGreaterThan(FILTERS / 2);

    for (int i = 0; i < 4; i++) {
      Query q = filters.pagedRead(7 + i * 5);
      List<Map<String, Object>> walkedDirect = maps(client.queryAll("direct", q).collect(Collectors.toList()));
      List<Map<String, Object>> walkedThrough = maps(client.queryAll(lens, q).collect(Collectors.toList()));
      assertThat(walkedThrough).as("cursor walk %d %s", i, q).isEqualTo(walkedDirect);
      assertThat(walkedThrough).as("cursor walk %d = one full page", i)
          .isEqualTo(maps(client.query("direct", q.limit(Query.MAX_LIMIT)).rows()));
    }
    Query all = Query.all().orderBy("id").limit(10);
    long pages = client.queryPages(lens, all).count();
    assertThat(pages).as("pages of 10 over %d rows", ItemsSetup.ROWS).isGreaterThanOrEqualTo(ItemsSetup.ROWS / 10);
  }

  private static List<Map<String, Object>> maps(List<Row> rows) {
    return rows.stream().map(Row::asMap).collect(Collectors.toList());
  }

  private void assertLedgerHasSucceededJobs(String source) {
    gw.gateway().flushRunnerLedger();
    List<RunnerJobRow> jobs = gw.gateway().runnerJobs().since(Instant.EPOCH).stream()
        .filter(r -> r.source().equals(source)).collect(Collectors.toList());
    assertThat(jobs).as("runner_jobs rows for %s", source).hasSizeGreaterThanOrEqualTo(FILTERS);
    assertThat(jobs).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo("succeeded");
      assertThat(r.runnerId()).contains(edge1.info().id());
      assertThat(r.envId()).isEqualTo(gw.envId());
    });
    assertThat(jobs.stream().mapToLong(RunnerJobRow::rowCount).sum()).as("rows counted").isPositive();
  }

  @Test
  void query_noRunnerEverConnected_is503NoRunnersOnline() {
    LensgateApiException e = catchThrowableOfType(() -> client.query("managed", Query.all()), LensgateApiException.class);
    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.code()).isEqualTo("no_runners_online");
    // Direct mode is untouched by the missing runner.
    assertThat(client.query("direct", Query.all().limit(5)).rows()).hasSize(5);
  }

  @Test
  void query_afterRunnerStopped_is503ThenServedAgainWhenARunnerReturns() throws Exception {
    try (InProcessRunner runner = startRunner()) {
      assertThat(client.query("airgap", Query.all().limit(3)).rows()).hasSize(3);
      runner.stop();
      Waits.awaitTrue(Duration.ofSeconds(5), () -> gw.gateway().runnerSessions().size() == 0, "gateway saw the socket close");
      LensgateApiException e = catchThrowableOfType(() -> client.query("airgap", Query.all()), LensgateApiException.class);
      assertThat(e).isNotNull();
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.code()).isEqualTo("no_runners_online");
    }
    try (InProcessRunner again = startRunner()) {
      assertThat(client.query("airgap", Query.all().limit(3)).rows()).hasSize(3);
    }
  }

  @Test
  void query_runnerDropsWhileItsQueryIsBlocked_is502RunnerFailedPromptlyAndStatementCancelled() throws Exception {
    try (InProcessRunner runner = startRunner(); Connection locker = db.connect()) {
      locker.setAutoCommit(false);
      int lockerPid = Waits.backendPid(locker);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<QueryResult> inFlight = CompletableFuture.supplyAsync(
          () -> client.query("managed", Query.all().limit(5)));
      Waits.awaitTrue(Duration.ofSeconds(10), () -> Waits.blockedBy(db, lockerPid) > 0, "the runner's query waits on the lock");
      assertThat(gw.gateway().dispatcher().inFlight()).isEqualTo(1);

      long dropped = System.nanoTime();
      runner.stop();
      ExecutionException failed = catchThrowableOfType(() -> inFlight.get(10, TimeUnit.SECONDS), ExecutionException.class);
      long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped);
      System.out.println("runner dropped mid-job -> 502 answered after " + answeredMillis + " ms");
      assertThat(failed).as("the in-flight request failed").isNotNull();
      assertThat(failed.getCause()).isInstanceOf(LensgateApiException.class);
      LensgateApiException e = (LensgateApiException) failed.getCause();
      assertThat(e.status()).isEqualTo(502);
      assertThat(e.code()).isEqualTo("runner_failed");
      assertThat(answeredMillis).as("ms from the drop to the 502 (the lock is still held)").isLessThan(2000);
      // The runner cancels its statement on the way down; the database is not left with a waiting query.
      Waits.awaitTrue(Duration.ofSeconds(5), () -> Waits.blockedBy(db, lockerPid) == 0, "the runner's statement was cancelled");
      locker.rollback();
    }
    gw.gateway().flushRunnerLedger();
    assertThat(gw.gateway().runnerJobs().since(Instant.EPOCH)).anySatisfy(r -> {
      assertThat(r.status()).isEqualTo("failed");
      assertThat(r.errorCode()).contains("runner_failed");
    });
  }

  @Test
  void revokeRunnerKey_closesSocketWithinLivenessBound_andRunnerDoesNotRedialQuickly() throws Exception {
    try (InProcessRunner runner = startRunner()) {
      assertThat(client.query("managed", Query.all().limit(1)).rows()).hasSize(1);
      long revoked = System.nanoTime();
      gw.gateway().keys().revoke(edge1.info().keyId());
      String code = runner.refused.get(5, TimeUnit.SECONDS);
      long closedNanos = runner.disconnectedAtNanos.get(5, TimeUnit.SECONDS);
      long closedMillis = TimeUnit.NANOSECONDS.toMillis(closedNanos - revoked);
      System.out.println("runner key revoked -> socket closed after " + closedMillis + " ms");
      assertThat(code).isEqualTo("key_revoked");
      assertThat(closedMillis).as("ms from revoke to the runner seeing its socket end").isLessThan(5000);
      assertThat(runner.retryDelays).as("delay before the next dial").containsExactly(InProcessRunner.REFUSED_DELAY);
      assertThat(runner.hellos.get()).isEqualTo(1);
      // The gateway unregisters the session right after sending refused; wait out that tiny gap.
      Waits.awaitTrue(Duration.ofSeconds(2), () -> gw.gateway().runnerSessions().size() == 0, "session unregistered");
      LensgateApiException e = catchThrowableOfType(() -> client.query("managed", Query.all()), LensgateApiException.class);
      assertThat(e).isNotNull();
      assertThat(e.code()).isEqualTo("no_runners_online");
    }
  }
}
