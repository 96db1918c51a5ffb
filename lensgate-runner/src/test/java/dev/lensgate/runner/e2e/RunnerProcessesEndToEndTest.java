package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.Query;
import dev.lensgate.client.QueryResult;
import dev.lensgate.client.Row;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's first acceptance test: a real gateway (in this JVM), two real runner processes (their
 * own JVMs, started once for the class, dialing the gateway like {@code lensgate runner}), a real
 * PostgreSQL and a real MariaDB. Each database is reachable four ways — direct, through the
 * runners with managed credentials, and through the runners with runner-local credentials (each
 * runner process's own environment; its PostgreSQL sessions carry its name as application_name, so
 * the test can see which runner is executing what).
 *
 * <p>One gateway, databases and pair of runner JVMs per class (per-class test instance). The tests
 * run in order (parity, gateway restart, one runner killed, both killed) but each first restarts
 * any runner process a previous test left dead. {@code @AfterAll} kills the processes whatever
 * happened; a shutdown hook per process covers a test JVM that exits early.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnerProcessesEndToEndTest {
  private static final long SEED = 20261124L;
  private static final int FILTERS = 10;
  private static final String A = "edge-a";
  private static final String B = "edge-b";
  private static final List<String> PAIRS = List.of("pg_direct:pg_managed", "pg_direct:pg_local",
      "maria_direct:maria_managed", "maria_direct:maria_local");

  @TempDir static Path dir;
  private TestDatabase pg;
  private TestDatabase maria;
  private E2eGateway gw;
  private final Map<String, CreatedRunner> identities = new HashMap<>();
  private final Map<String, RunnerProcess> processes = new HashMap<>();
  private ExecutorService requests;

  @BeforeAll
  void setUp() throws Exception {
    requests = Executors.newCachedThreadPool();
    pg = TestDatabase.postgres();
    maria = TestDatabase.mariadb();
    ItemsSetup.createItems(pg, SEED);
    ItemsSetup.createItems(maria, SEED + 1);
    gw = startGateway(0);
    identities.put(A, gw.createRunner(A));
    identities.put(B, gw.createRunner(B));
    gw.push(config());
    gw.connect("pg_direct", pg.jdbcUrl(), pg.user(), pg.password());
    gw.connect("pg_managed", pg.jdbcUrl(), pg.user(), pg.password());
    gw.connect("maria_direct", maria.jdbcUrl(), maria.user(), maria.password());
    gw.connect("maria_managed", maria.jdbcUrl(), maria.user(), maria.password());
    long started = System.nanoTime();
    startProcess(A);
    startProcess(B);
    awaitOnline(A, Duration.ofSeconds(60));
    awaitOnline(B, Duration.ofSeconds(60));
    System.out.println("two runner JVMs online after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
  }

  @AfterAll
  void tearDown() {
    processes.values().forEach(RunnerProcess::close);
    if (gw != null) {
      gw.close();
    }
    if (requests != null) {
      requests.shutdownNow();
    }
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  private E2eGateway startGateway(int port) {
    return E2eGateway.startOn(dir.resolve("data"), port, Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, "20000"));
  }

  private static String config() {
    String runners = "    runners: [" + A + ", " + B + "]\n";
    return "stack: lensgate/v1\n"
        + "sources:\n"
        + "  pg_direct:\n    type: postgres\n"
        + "  pg_managed:\n    type: postgres\n" + runners
        + "  pg_local:\n    type: postgres\n" + runners + "    credentials: runner-local\n"
        + "  maria_direct:\n    type: mariadb\n"
        + "  maria_managed:\n    type: mariadb\n" + runners
        + "  maria_local:\n    type: mariadb\n" + runners + "    credentials: runner-local\n"
        + "lenses:\n" + lens("pg_direct") + lens("pg_managed") + lens("pg_local")
        + lens("maria_direct") + lens("maria_managed") + lens("maria_local")
        + "defaults:\n  grants: strict\n";
  }

  private static String lens(String source) {
    return "  " + source + ":\n    source: " + source + "\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      name: { type: string }\n      score: { type: integer }\n"
        + "      tier: { type: string }\n      active: { type: boolean }\n"
        + "    grants:\n      query: public\n";
  }

  /** Starts (or restarts) runner {@code name}'s process; the token goes in its environment only. */
  private RunnerProcess startProcess(String name) {
    RunnerProcess old = processes.remove(name);
    if (old != null) {
      old.close();
    }
    String app = "lg_e2e_" + name.replace('-', '_');
    Map<String, String> env = new HashMap<>();
    env.put("LENSGATE_RUNNER_ID", name);
    env.put("LENSGATE_RUNNER_TOKEN", identities.get(name).token().revealUtf8());
    env.put("LENSGATE_GATEWAY_URL", "ws://127.0.0.1:" + gw.port());
    env.put("LENSGATE_SOURCE_PG_LOCAL_URL", pg.jdbcUrl() + "&ApplicationName=" + app);
    env.put("LENSGATE_SOURCE_PG_LOCAL_USER", pg.user());
    env.put("LENSGATE_SOURCE_PG_LOCAL_PASSWORD", pg.password());
    env.put("LENSGATE_SOURCE_MARIA_LOCAL_URL", maria.jdbcUrl());
    env.put("LENSGATE_SOURCE_MARIA_LOCAL_USER", maria.user());
    env.put("LENSGATE_SOURCE_MARIA_LOCAL_PASSWORD", maria.password());
    RunnerProcess p = RunnerProcess.start(name, dir.resolve("runner-logs"), env, List.of("--insecure-loopback"));
    processes.put(name, p);
    return p;
  }

  private String runnerId(String name) {
    return identities.get(name).info().id();
  }

  private void awaitOnline(String name, Duration max) throws InterruptedException {
    RunnerProcess p = processes.get(name);
    try {
      Waits.awaitTrue(max, () -> gw.gateway().runnerSessions().openSessions(runnerId(name)) == 1 || !p.isAlive(),
          name + " connected");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + p + " printed:\n" + p.output(), e);
    }
    assertThat(p.isAlive()).as("%s alive; it printed:%n%s", p, p.output()).isTrue();
  }

  /** Restarts whatever a previous test killed, so each test starts with both runners online. */
  private void ensureBothOnline() throws InterruptedException {
    for (String name : List.of(A, B)) {
      if (!processes.get(name).isAlive()) {
        startProcess(name);
      }
    }
    awaitOnline(A, Duration.ofSeconds(60));
    awaitOnline(B, Duration.ofSeconds(60));
  }

  @Test
  @Order(1)
  void query_throughTwoRunnerProcesses_sameRowsAsDirectOnPostgresAndMariaDb() throws Exception {
    ensureBothOnline();
    Instant before = Instant.now().minusSeconds(1);
    for (String pair : PAIRS) {
      String direct = pair.split(":")[0];
      String through = pair.split(":")[1];
      RandomFilters filters = new RandomFilters(new Random(SEED + through.hashCode()));
      int nonEmpty = 0;
      for (int i = 0; i < FILTERS; i++) {
        Query q = filters.fullRead();
        List<Map<String, Object>> expected = maps(gw.client().query(direct, q).rows());
        assertThat(maps(gw.client().query(through, q).rows())).as("%s read %d %s", through, i, q).isEqualTo(expected);
        nonEmpty += expected.isEmpty() ? 0 : 1;
      }
      assertThat(nonEmpty).as("%s reads with rows", through).isGreaterThan(FILTERS / 2);
      Query paged = filters.pagedRead(30);
      assertThat(maps(gw.client().queryAll(through, paged).collect(Collectors.toList())))
          .as("%s cursor walk %s", through, paged).isEqualTo(maps(gw.client().queryAll(direct, paged).collect(Collectors.toList())));
    }
    gw.gateway().flushRunnerLedger();
    List<RunnerJobRow> jobs = gw.gateway().runnerJobs().since(before);
    assertThat(jobs).as("jobs dispatched").hasSizeGreaterThanOrEqualTo(PAIRS.size() * FILTERS);
    assertThat(jobs).allSatisfy(j -> assertThat(j.status()).isEqualTo("succeeded"));
    // Random picks over ~50 jobs: both processes served some (all on one has odds of 2^-49).
    assertThat(jobs.stream().map(j -> j.runnerId().orElse("?")).collect(Collectors.toSet()))
        .isEqualTo(Set.of(runnerId(A), runnerId(B)));
    for (RunnerProcess p : processes.values()) {
      assertThat(p.commandLine()).as("argv of %s", p).doesNotContain("rk_");
      assertThat(p.output()).as("output of %s", p).doesNotContain("rk_").doesNotContain("token=");
    }
  }

  @Test
  @Order(2)
  void gatewayRestart_bothRunnerProcessesReconnectByThemselvesWithin30s() throws Exception {
    ensureBothOnline();
    long pidA = processes.get(A).pid();
    long pidB = processes.get(B).pid();
    int port = gw.port();
    gw.close();
    gw = null;
    long restarted = System.nanoTime();
    gw = startGateway(port);
    long upMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
    awaitOnline(A, Duration.ofSeconds(30));
    awaitOnline(B, Duration.ofSeconds(30));
    long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
    System.out.printf("gateway restarted (listening after %d ms) -> both runner processes back after %.1f s%n",
        upMillis, backMillis / 1000.0);
    assertThat(processes.get(A).pid()).as("the same process, nobody restarted it").isEqualTo(pidA);
    assertThat(processes.get(B).pid()).isEqualTo(pidB);
    // The gateway registers a session just before its hello reaches the process.
    Waits.awaitTrue(Duration.ofSeconds(10), () -> processes.get(A).hellos() >= 2 && processes.get(B).hellos() >= 2,
        "each process printed its second hello");
    for (String lens : List.of("pg_local", "pg_managed", "maria_local", "maria_managed")) {
      assertThat(gw.client().query(lens, Query.all().orderBy("id").limit(3)).rows()).as(lens).hasSize(3);
    }
  }

  @Test
  @Order(3)
  void killOneRunnerProcess_itsInFlightRequestsGet502Promptly_andTheOtherRunnerServesTheNext() throws Exception {
    ensureBothOnline();
    // This test's jobs are the ledger rows that are not there yet: a time mark alone caught the previous
    // test's last row when the two ran within a few milliseconds (seen in a clean-clone CI run).
    gw.gateway().flushRunnerLedger();
    Instant before = Instant.now().minusSeconds(1);
    java.util.Set<String> earlier = gw.gateway().runnerJobs().since(before).stream().map(RunnerJobRow::id)
        .collect(Collectors.toSet());
    try (Connection locker = pg.connect()) {
      locker.setAutoCommit(false);
      int lockerPid = Waits.backendPid(locker);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      }
      // Send reads one by one until each runner has at least one waiting on the lock.
      List<CompletableFuture<QueryResult>> inFlight = new ArrayList<>();
      Map<String, Integer> waiting = Map.of();
      while (waiting.getOrDefault(app(A), 0) == 0 || waiting.getOrDefault(app(B), 0) == 0) {
        assertThat(inFlight.size()).as("reads sent before both runners had one (random picks)").isLessThan(24);
        inFlight.add(CompletableFuture.supplyAsync(() -> gw.client().query("pg_local", Query.all().limit(5)), requests));
        int expected = inFlight.size();
        Waits.awaitTrue(Duration.ofSeconds(10), () -> Waits.blockedBy(pg, lockerPid) == expected, "read waits on the lock");
        waiting = blockedByApplication(lockerPid);
      }
      int onA = waiting.get(app(A));
      int onB = waiting.get(app(B));
      long killed = System.nanoTime();
      processes.get(A).kill();
      Waits.awaitTrue(Duration.ofSeconds(10), () -> inFlight.stream().filter(CompletableFuture::isDone).count() >= onA,
          "the killed runner's reads answered");
      long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      System.out.println("runner process killed (SIGKILL) with " + onA + " of its reads in flight -> all answered 502 after "
          + answeredMillis + " ms (" + onB + " waiting on the other runner)");
      List<CompletableFuture<QueryResult>> done = inFlight.stream().filter(CompletableFuture::isDone).collect(Collectors.toList());
      assertThat(done).as("only the killed runner's reads ended").hasSize(onA);
      for (CompletableFuture<QueryResult> f : done) {
        ExecutionException e = catchThrowableOfType(f::get, ExecutionException.class);
        assertThat(e).as("a read of the killed runner failed").isNotNull();
        assertThat(e.getCause()).isInstanceOf(LensgateApiException.class);
        assertThat(((LensgateApiException) e.getCause()).status()).isEqualTo(502);
        assertThat(((LensgateApiException) e.getCause()).code()).isEqualTo("runner_failed");
      }
      assertThat(answeredMillis).as("liveness bound: ms from the kill to the last 502").isLessThan(5000);
      Waits.awaitTrue(Duration.ofSeconds(5), () -> gw.gateway().runnerSessions().openSessions(runnerId(A)) == 0, "A gone");

      // The survivor's reads still wait on the lock, and are served once it is released.
      locker.rollback();
      for (CompletableFuture<QueryResult> f : inFlight) {
        if (!done.contains(f)) {
          assertThat(f.get(20, TimeUnit.SECONDS).rows()).hasSize(5);
        }
      }
      for (int i = 0; i < 6; i++) {
        assertThat(gw.client().query(i % 2 == 0 ? "pg_local" : "maria_managed", Query.all().limit(2)).rows()).hasSize(2);
      }
      gw.gateway().flushRunnerLedger();
      List<RunnerJobRow> jobs = gw.gateway().runnerJobs().since(before).stream()
          .filter(j -> !earlier.contains(j.id())).collect(Collectors.toList());
      assertThat(jobs.stream().filter(j -> j.status().equals("succeeded")))
          .as("the survivor's in-flight jobs and every job after the kill ran on the survivor").hasSize(onB + 6)
          .allSatisfy(j -> assertThat(j.runnerId()).contains(runnerId(B)));
      assertThat(jobs.stream().filter(j -> !j.status().equals("succeeded")))
          .as("the killed runner's jobs").hasSize(onA)
          .allSatisfy(j -> {
            assertThat(j.runnerId()).contains(runnerId(A));
            assertThat(j.errorCode()).contains("runner_failed");
          });
    }
  }

  @Test
  @Order(4)
  void killBothRunnerProcesses_is503NoRunnersOnline_directStillServed() throws Exception {
    ensureBothOnline();
    processes.get(A).kill();
    processes.get(B).kill();
    Waits.awaitTrue(Duration.ofSeconds(10), () -> gw.gateway().runnerSessions().size() == 0, "gateway saw both go");
    for (String lens : List.of("pg_local", "pg_managed", "maria_local", "maria_managed")) {
      LensgateApiException e = catchThrowableOfType(() -> gw.client().query(lens, Query.all().limit(1)), LensgateApiException.class);
      assertThat(e).as(lens).isNotNull();
      assertThat(e.status()).as(lens).isEqualTo(503);
      assertThat(e.code()).as(lens).isEqualTo("no_runners_online");
    }
    assertThat(gw.client().query("pg_direct", Query.all().limit(1)).rows()).hasSize(1);
    assertThat(gw.client().query("maria_direct", Query.all().limit(1)).rows()).hasSize(1);
  }

  private static String app(String runner) {
    return "lg_e2e_" + runner.replace('-', '_');
  }

  /** Sessions waiting on {@code lockerPid}'s lock, by application_name (each runner's own). */
  private Map<String, Integer> blockedByApplication(int lockerPid) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT application_name, count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid)) GROUP BY application_name")) {
      ps.setInt(1, lockerPid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return out;
  }

  private static List<Map<String, Object>> maps(List<Row> rows) {
    return rows.stream().map(Row::asMap).collect(Collectors.toList());
  }
}
