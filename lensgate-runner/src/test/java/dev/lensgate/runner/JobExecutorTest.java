package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobExecutorTest {
  private JobExecutor executor;

  @AfterEach
  void close() {
    if (executor != null) {
      executor.close();
    }
  }

  private JobExecutor executor(Map<String, String> env) {
    executor = new JobExecutor(LocalSources.fromEnvironment(env), AllowList.fromEnvironment(env), Clock.systemUTC(), 4, 16);
    return executor;
  }

  private static RunnerFrame answer(CompletableFuture<RunnerFrame> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private static RunnerFrame.Error error(RunnerFrame f) {
    assertThat(f).isInstanceOf(RunnerFrame.Error.class);
    return (RunnerFrame.Error) f;
  }

  @Test
  void query_managedCredentialsOnPostgres_returnsRowsWithNextPosition() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 5);
      RunnerFrame f = answer(Jobs.submit(executor(Map.of()),
          Jobs.query("j1", "main", Jobs.spec("{\"id\":{\"$gt\":1}}", 2), Optional.of(Jobs.credentials(db)), 30_000)));
      assertThat(f).isInstanceOf(RunnerFrame.Result.class);
      RunnerFrame.Result r = (RunnerFrame.Result) f;
      assertThat(r.jobId()).isEqualTo("j1");
      assertThat(r.done()).isTrue();
      assertThat(r.rowCount()).isEqualTo(2);
      assertThat(r.rows()).extracting(n -> n.get("title").asText()).containsExactly("item 2", "item 3");
      assertThat(r.rows().get(0).has("name")).isFalse();
      assertThat(r.next()).map(JsonNode::toString).contains("[\"3\"]");
    }
  }

  @Test
  void query_mariadbAndH2_returnRows() throws Exception {
    for (TestDatabase.Kind kind : new TestDatabase.Kind[] {TestDatabase.Kind.MARIADB, TestDatabase.Kind.H2}) {
      try (TestDatabase db = TestDatabase.of(kind)) {
        Jobs.createItems(db, 3);
        RunnerFrame f = answer(Jobs.submit(executor(Map.of()), Jobs.query("j-" + kind, db)));
        assertThat(((RunnerFrame.Result) f).rowCount()).as(kind.name()).isEqualTo(3);
        executor.close();
      }
    }
  }

  @Test
  void query_runnerLocalSource_usesEnvironmentAndIgnoresShippedCredentials() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      Jobs.createItems(db, 2);
      Map<String, String> env = Map.of("LENSGATE_SOURCE_EDGE_DB_URL", db.jdbcUrl(), "LENSGATE_SOURCE_EDGE_DB_USER", db.user(),
          "LENSGATE_SOURCE_EDGE_DB_PASSWORD", db.password());
      JobCredentials elsewhere = new JobCredentials("jdbc:postgresql://127.0.0.1:1/nope", "x", SecretBytes.fromUtf8("y"));
      RunnerFrame f = answer(Jobs.submit(executor(env),
          Jobs.query("j1", "edge-db", Jobs.spec("{}", 10), Optional.of(elsewhere), 30_000)));
      assertThat(((RunnerFrame.Result) f).rowCount()).isEqualTo(2);
      assertThat(executor.localSourceNames()).containsExactly("edge_db");
    }
  }

  @Test
  void query_unknownSourceWithoutCredentials_refused() throws Exception {
    RunnerFrame f = answer(Jobs.submit(executor(Map.of()), Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.empty(), 30_000)));
    assertThat(error(f).code()).isEqualTo("job_refused");
    assertThat(error(f).jobId()).contains("j1");
  }

  @Test
  void query_outsideAllowList_refusedBeforeConnecting() throws Exception {
    // The credentials point nowhere: a refusal (not source_unreachable) proves no connection was tried.
    JobCredentials nowhere = new JobCredentials("jdbc:postgresql://127.0.0.1:1/nope", "x", SecretBytes.fromUtf8("y"));
    JobExecutor e = executor(Map.of(AllowList.ENV_ALLOW, "main:orders,other:*"));
    RunnerFrame f = answer(Jobs.submit(e, Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.of(nowhere), 30_000)));
    assertThat(error(f).code()).isEqualTo("job_refused");
    RunnerFrame g = answer(Jobs.submit(e, Jobs.query("j2", "other", Jobs.spec("{}", 10), Optional.of(nowhere), 30_000)));
    assertThat(error(g).code()).isEqualTo("source_unreachable");
  }

  @Test
  void query_allowListNamesTable_runs() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      Jobs.createItems(db, 1);
      RunnerFrame f = answer(Jobs.submit(executor(Map.of(AllowList.ENV_ALLOW, "main:items")), Jobs.query("j1", db)));
      assertThat(f).isInstanceOf(RunnerFrame.Result.class);
    }
  }

  @Test
  void query_unreachableSource_fixedMessageWithoutDriverText() throws Exception {
    JobCredentials down = new JobCredentials("jdbc:postgresql://127.0.0.1:1/nope", "sentinel_user", SecretBytes.fromUtf8("SENTINEL-PW"));
    RunnerFrame f = answer(Jobs.submit(executor(Map.of()), Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.of(down), 30_000)));
    assertThat(error(f).code()).isEqualTo("source_unreachable");
    assertThat(error(f).message()).isEqualTo("the source query failed");
  }

  @Test
  void query_unsupportedDatabaseUrl_refused() throws Exception {
    JobCredentials odd = new JobCredentials("jdbc:sqlserver://127.0.0.1:1", "u", SecretBytes.fromUtf8("p"));
    RunnerFrame f = answer(Jobs.submit(executor(Map.of()), Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.of(odd), 30_000)));
    assertThat(error(f).code()).isEqualTo("job_refused");
  }

  @Test
  void query_invalidLensMappingOrSpec_invalidRequestWithoutRunning() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      Jobs.createItems(db, 1);
      JobExecutor e = executor(Map.of());
      LensMapping hostile = new LensMapping("items", Optional.empty(), "items; DROP TABLE items", "id",
          List.of(new LensMapping.Field("id", "id", "integer")));
      RunnerFrame f = answer(Jobs.submit(e, new RunnerFrame.Job("j1", JobKind.QUERY, "main", hostile, Jobs.spec("{}", 10),
          Optional.of(Jobs.credentials(db)), 30_000)));
      assertThat(error(f).code()).isEqualTo("invalid_request");
      RunnerFrame g = answer(Jobs.submit(e, Jobs.query("j2", "main", Jobs.spec("{\"name\":\"x\"}", 10),
          Optional.of(Jobs.credentials(db)), 30_000)));
      assertThat(error(g).code()).isEqualTo("unknown_field");
      try (Connection c = db.connect(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"items\"")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void query_deadlineAlreadyPassed_upstreamTimeout() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      Jobs.createItems(db, 1);
      RunnerFrame f = answer(Jobs.submit(executor(Map.of()),
          Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.of(Jobs.credentials(db)), 0)));
      assertThat(error(f).code()).isEqualTo("upstream_timeout");
    }
  }

  @Test
  void query_blockedPastDeadline_upstreamTimeout() throws Exception {
    try (TestDatabase db = TestDatabase.postgres(); Connection locker = db.connect()) {
      Jobs.createItems(db, 1);
      locker.setAutoCommit(false);
      locker.createStatement().execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      RunnerFrame f = answer(Jobs.submit(executor(Map.of()),
          Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.of(Jobs.credentials(db)), 1_000)));
      assertThat(error(f).code()).isEqualTo("upstream_timeout");
      locker.rollback();
    }
  }

  @Test
  void cancel_runningQuery_cancelsStatementAndSendsNothing() throws Exception {
    try (TestDatabase db = TestDatabase.postgres(); Connection locker = db.connect()) {
      Jobs.createItems(db, 1);
      locker.setAutoCommit(false);
      locker.createStatement().execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      JobExecutor e = executor(Map.of());
      CompletableFuture<RunnerFrame> f = Jobs.submit(e, Jobs.query("j1", "main", Jobs.spec("{}", 10),
          Optional.of(Jobs.credentials(db)), 600_000));
      Jobs.await(() -> {
        if (f.isDone()) {
          throw new AssertionError("answered early: " + f.join());
        }
        return waitingQueries(db) == 1;
      }, "the job's query to block on the lock");
      e.cancel("j1");
      Jobs.await(() -> waitingQueries(db) == 0, "the statement to be cancelled");
      assertThat(e.inFlight()).isZero();
      locker.rollback();
      // The cancelled job's answer is never sent, even once the lock is gone.
      RunnerFrame after = answer(Jobs.submit(e, Jobs.query("j2", db)));
      assertThat(after).isInstanceOf(RunnerFrame.Result.class);
      assertThat(f).isNotDone();
    }
  }

  /** A fresh connection each time: pg_stat_activity is a snapshot per transaction. */
  private static int waitingQueries(TestDatabase db) {
    try (Connection c = db.connect(); var rs = c.createStatement().executeQuery(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'select%items%'")) {
      rs.next();
      return rs.getInt(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void submit_duplicateJobId_refused() throws Exception {
    try (TestDatabase db = TestDatabase.postgres(); Connection locker = db.connect()) {
      Jobs.createItems(db, 1);
      locker.setAutoCommit(false);
      locker.createStatement().execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      JobExecutor e = executor(Map.of());
      Jobs.submit(e, Jobs.query("j1", "main", Jobs.spec("{}", 10), Optional.of(Jobs.credentials(db)), 600_000));
      RunnerFrame dup = answer(Jobs.submit(e, Jobs.query("j1", db)));
      assertThat(error(dup).code()).isEqualTo("job_refused");
      e.cancelAll();
      locker.rollback();
    }
  }

  @Test
  void submit_queueFull_refusedInsteadOfGrowing() throws Exception {
    try (TestDatabase db = TestDatabase.postgres(); Connection locker = db.connect()) {
      Jobs.createItems(db, 1);
      locker.setAutoCommit(false);
      locker.createStatement().execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE");
      executor = new JobExecutor(LocalSources.fromEnvironment(Map.of()), AllowList.allowAll(), Clock.systemUTC(), 1, 1);
      Jobs.submit(executor, Jobs.query("running", "main", Jobs.spec("{}", 10), Optional.of(Jobs.credentials(db)), 600_000));
      Jobs.await(() -> waitingQueries(db) == 1, "the first job to run");
      Jobs.submit(executor, Jobs.query("queued", "main", Jobs.spec("{}", 10), Optional.of(Jobs.credentials(db)), 600_000));
      RunnerFrame third = answer(Jobs.submit(executor, Jobs.query("third", db)));
      assertThat(error(third).code()).isEqualTo("job_refused");
      assertThat(error(third).message()).contains("capacity");
      executor.cancelAll();
      locker.rollback();
    }
  }

  @Test
  void test_kind_checksConnectivity() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      JobExecutor e = executor(Map.of());
      RunnerFrame ok = answer(Jobs.submit(e, new RunnerFrame.Job("t1", JobKind.TEST, "main", LensMapping.of(Jobs.ITEMS),
          Jobs.JSON.createObjectNode(), Optional.of(Jobs.credentials(db)), 30_000)));
      assertThat(ok).isInstanceOf(RunnerFrame.Result.class);
      JobCredentials down = new JobCredentials("jdbc:postgresql://127.0.0.1:1/nope", "u", SecretBytes.fromUtf8("p"));
      RunnerFrame bad = answer(Jobs.submit(e, new RunnerFrame.Job("t2", JobKind.TEST, "other", LensMapping.of(Jobs.ITEMS),
          Jobs.JSON.createObjectNode(), Optional.of(down), 30_000)));
      assertThat(error(bad).code()).isEqualTo("source_unreachable");
    }
  }

}
