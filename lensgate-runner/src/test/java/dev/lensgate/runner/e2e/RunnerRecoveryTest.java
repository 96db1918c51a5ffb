package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.Query;
import dev.lensgate.client.QueryResult;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runner and the real gateway when something goes wrong that is neither's fault: a job
 * outlives its deadline (504, and the runner cancels the statement), the runner cannot reach its
 * database (502 source_unreachable), and the gateway restarts (the runner is back by itself).
 */
class RunnerRecoveryTest {
  /**
   * Above the runner's 5 s pool connect timeout: a refused database connection is only reported when
   * Hikari gives up, so a shorter job deadline turns "unreachable" into 504 upstream_timeout.
   */
  private static final long DEADLINE_MILLIS = 7000;

  @TempDir Path dataDir;
  private TestDatabase db;
  private E2eGateway gw;
  private CreatedRunner edge1;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.postgres();
    ItemsSetup.createItems(db, 5L);
    gw = startGateway(0);
    edge1 = gw.createRunner(ItemsSetup.RUNNER);
    gw.push(ItemsSetup.config());
    gw.connect("direct", db.jdbcUrl(), db.user(), db.password());
    gw.connect("managed", db.jdbcUrl(), db.user(), db.password());
  }

  private E2eGateway startGateway(int port) {
    return E2eGateway.startOn(dataDir, port, Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, Long.toString(DEADLINE_MILLIS)));
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    db.close();
  }

  private InProcessRunner startRunner(Map<String, String> env) throws Exception {
    return InProcessRunner.startOnline(gw.port(), ItemsSetup.RUNNER, edge1.token().revealUtf8(), env);
  }

  @Test
  void query_jobOutlivesDeadline_is504AndRunnerCancelsItsStatement() throws Exception {
    try (InProcessRunner runner = startRunner(Map.of()); Connection locker = db.connect()) {
      assertThat(gw.client().query("managed", Query.all().limit(2)).rows()).hasSize(2);
      locker.setAutoCommit(false);
      int lockerPid = Waits.backendPid(locker);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      }
      long sent = System.nanoTime();
      CompletableFuture<QueryResult> answer = CompletableFuture.supplyAsync(
          () -> gw.client().query("managed", Query.all().limit(2)));
      Waits.awaitTrue(Duration.ofSeconds(5), () -> Waits.blockedBy(db, lockerPid) > 0, "the runner's query waits on the lock");
      ExecutionException failed = catchThrowableOfType(() -> answer.get(20, TimeUnit.SECONDS), ExecutionException.class);
      long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(failed).isNotNull();
      assertThat(failed.getCause()).isInstanceOf(LensgateApiException.class);
      LensgateApiException e = (LensgateApiException) failed.getCause();
      assertThat(e.status()).isEqualTo(504);
      assertThat(e.code()).isEqualTo("upstream_timeout");
      assertThat(answeredMillis).as("answered at the deadline, not later").isBetween(DEADLINE_MILLIS - 100, DEADLINE_MILLIS + 2000);
      // The lock is still held: only the runner cancelling its statement ends the wait.
      Waits.awaitTrue(Duration.ofSeconds(5), () -> Waits.blockedBy(db, lockerPid) == 0, "the runner cancelled the statement");
      locker.rollback();
      // The session survives a timed-out job.
      assertThat(gw.client().query("managed", Query.all().limit(2)).rows()).hasSize(2);
      assertThat(runner.hellos.get()).isEqualTo(1);
    }
  }

  @Test
  void query_runnerCannotReachItsDatabase_is502SourceUnreachable() throws Exception {
    Map<String, String> env = Map.of("LENSGATE_SOURCE_AIRGAP_URL", "jdbc:postgresql://127.0.0.1:1/nowhere",
        "LENSGATE_SOURCE_AIRGAP_USER", "nobody", "LENSGATE_SOURCE_AIRGAP_PASSWORD", "unused");
    try (InProcessRunner runner = startRunner(env)) {
      long sent = System.nanoTime();
      LensgateApiException e = catchThrowableOfType(
          () -> gw.client().query("airgap", Query.all()), LensgateApiException.class);
      long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      System.out.println("runner-local database refused -> 502 answered after " + answeredMillis + " ms");
      assertThat(e).isNotNull();
      assertThat(e.status()).isEqualTo(502);
      assertThat(e.code()).isEqualTo("source_unreachable");
      assertThat(e.errorMessage()).doesNotContain("127.0.0.1").doesNotContain("nowhere");
      assertThat(answeredMillis).as("the runner's answer, before the gateway's deadline").isLessThan(DEADLINE_MILLIS);
      // The managed source of the same runner is unaffected.
      assertThat(gw.client().query("managed", Query.all().limit(1)).rows()).hasSize(1);
    }
  }

  @Test
  void gatewayRestart_runnerReconnectsWithoutHelp_andServesAgain() throws Exception {
    try (InProcessRunner runner = startRunner(Map.of())) {
      assertThat(gw.client().query("managed", Query.all().limit(1)).rows()).hasSize(1);
      int port = gw.port();
      gw.close();
      gw = null;
      long restarted = System.nanoTime();
      gw = startGateway(port);
      Waits.awaitTrue(Duration.ofSeconds(30), () -> runner.hellos.get() == 2, "the runner said hello to the new gateway");
      long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
      System.out.println("gateway restarted -> runner back after " + backMillis + " ms");
      assertThat(gw.gateway().runnerSessions().openSessions(edge1.info().id())).isEqualTo(1);
      assertThat(gw.client().query("managed", Query.all().limit(1)).rows()).hasSize(1);
    }
  }
}
