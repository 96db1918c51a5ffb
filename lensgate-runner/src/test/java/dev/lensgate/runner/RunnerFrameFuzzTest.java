package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.runner.MalformedFrameException;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frame fuzzer against the runner: the real {@link RunnerConnection} and {@link JobExecutor} with an
 * allow-list ({@code main:items}) on an H2 database, dialing a {@link FakeGateway} that sends
 * seeded garbage ({@link GatewayFrameGarbage}; the seed is printed, {@code -Dlensgate.fuzz.seed=N}
 * replays it). Every malformed or unexpected frame must be answered with an {@code error} frame
 * (no job id) on the same connection, a {@code cancel} for an unknown job with nothing, an
 * over-size message with a close and a reconnect. No statement may reach the database for any of
 * them — counted by H2's own {@code INFORMATION_SCHEMA.QUERY_STATISTICS}, not by a hook in the
 * code under test — and a valid job afterwards must still succeed.
 */
class RunnerFrameFuzzTest {
  private static final int ITERATIONS = 150;

  private final FakeGateway gateway = new FakeGateway();
  private final CompletableFuture<RunnerFrame.Hello> firstHello = new CompletableFuture<>();
  private TestDatabase db;
  private JobExecutor jobs;
  private RunnerConnection connection;

  @BeforeEach
  void start() throws Exception {
    db = TestDatabase.h2();
    Jobs.createItems(db, 3);
    db.execute("SET QUERY_STATISTICS TRUE");
    RunnerSettings settings = RunnerSettings.builder().runnerId("edge-1").token(RunnerToken.of(FakeGateway.GOOD))
        .gatewayUrl(gateway.url()).allowInsecureLoopback(true).heartbeatInterval(Duration.ofSeconds(25)).build();
    jobs = new JobExecutor(LocalSources.fromEnvironment(java.util.Map.of()), AllowList.parse("main:items"),
        Clock.systemUTC(), 4, 64);
    // nextDouble() == 0: reconnects are immediate.
    Random zero = new Random() {
      private static final long serialVersionUID = 1L;

      @Override
      public double nextDouble() {
        return 0;
      }
    };
    connection = new RunnerConnection(settings, jobs, () -> List.of("main"), "fuzz-1", Backoff.standard(zero),
        Duration.ofHours(1), new RunnerConnection.Listener() {
          @Override
          public void onHello(RunnerFrame.Hello h) {
            firstHello.complete(h);
          }
        });
    connection.start();
    firstHello.get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    connection.stop();
    jobs.close();
    gateway.close();
    db.close();
  }

  private static long seed() {
    String fixed = System.getProperty("lensgate.fuzz.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
    System.out.println("RunnerFrameFuzzTest seed: " + seed + " (replay with -Dlensgate.fuzz.seed=" + seed + ")");
    return seed;
  }

  /** SELECTs on {@code items} the database has executed so far. */
  private long itemStatements() throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(EXECUTION_COUNT), 0) FROM INFORMATION_SCHEMA.QUERY_STATISTICS"
            + " WHERE UPPER(SQL_STATEMENT) LIKE 'SELECT%' AND SQL_STATEMENT LIKE '%\"items\"%'"
            + " AND SQL_STATEMENT NOT LIKE '%QUERY_STATISTICS%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The next frame from the runner that is not a heartbeat; a frame the codec rejects fails the test. */
  private Object nextAnswer(long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < end) {
      Object o = gateway.received.poll(50, TimeUnit.MILLISECONDS);
      if (o instanceof MalformedFrameException) {
        throw new AssertionError("the runner sent a malformed frame", (Throwable) o);
      }
      if (o != null && !(o instanceof RunnerFrame.Heartbeat)) {
        return o;
      }
    }
    return null;
  }

  private RunnerFrame.Error nextError(String what) throws InterruptedException {
    Object o = nextAnswer(20_000);
    assertThat(o).as(what).isInstanceOf(RunnerFrame.Error.class);
    return (RunnerFrame.Error) o;
  }

  private void assertValidJobStillSucceeds(String id) throws Exception {
    long before = itemStatements();
    gateway.send(Jobs.query(id, db));
    Object o = nextAnswer(20_000);
    assertThat(o).as("answer to the valid job " + id).isInstanceOf(RunnerFrame.Result.class);
    RunnerFrame.Result r = (RunnerFrame.Result) o;
    assertThat(r.jobId()).isEqualTo(id);
    assertThat(r.rowCount()).isEqualTo(3);
    assertThat(itemStatements()).as("the valid job ran exactly one statement").isEqualTo(before + 1);
    Jobs.await(() -> jobs.inFlight() == 0, "no job left in flight");
  }

  @Test
  void fuzz_garbageFrames_answeredWithErrorNoStatementAndRunnerKeepsWorking() throws Exception {
    long seed = seed();
    String validJob = gateway.codec.encode(Jobs.query("j-valid", db));
    GatewayFrameGarbage garbage = new GatewayFrameGarbage(new Random(seed), validJob);
    assertValidJobStillSucceeds("warm-up");
    long statements = itemStatements();
    int errors = 0;
    int silent = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      GatewayFrameGarbage.Frame f = garbage.next();
      String what = "seed " + seed + ", frame " + i + " " + f;
      gateway.send(f.text());
      if (f.kind() == GatewayFrameGarbage.Kind.SILENT) {
        // Nothing may answer a cancel for an unknown job: the next answer is the probe's error.
        gateway.send("probe-" + i);
        RunnerFrame.Error e = nextError(what);
        assertThat(e.jobId()).as(what).isEmpty();
        assertThat(e.message()).as(what).isEqualTo("malformed frame");
        silent++;
      } else {
        RunnerFrame.Error e = nextError(what);
        assertThat(e.jobId()).as(what).isEmpty();
        assertThat(e.code()).as(what).isEqualTo("invalid_request");
        errors++;
      }
    }
    System.out.println("RunnerFrameFuzzTest: " + ITERATIONS + " frames, " + errors + " error answers, " + silent + " silent cancels");
    assertThat(itemStatements()).as("no statement ran for any fuzzed frame").isEqualTo(statements);
    assertThat(gateway.connections.get()).as("the runner never dropped the connection").isEqualTo(1);
    assertThat(jobs.inFlight()).isZero();
    assertValidJobStillSucceeds("after-fuzz");
  }

  @Test
  void job_outsideAllowListOrInvalid_refusedByRunnerWithoutStatement() throws Exception {
    long statements = itemStatements();
    // Managed credentials for a database the runner can reach: only its own allow-list stops it.
    String[] refusedSources = {"evil", "MAIN", "main2", "main.items"};
    for (String source : refusedSources) {
      gateway.send(Jobs.query("j-" + source.replace('.', '-'), source, Jobs.spec("{}", 10),
          Optional.of(Jobs.credentials(db)), 30_000));
      RunnerFrame.Error e = nextError("source " + source);
      assertThat(e.jobId()).contains("j-" + source.replace('.', '-'));
      assertThat(e.code()).isEqualTo(JobExecutor.JOB_REFUSED);
    }
    String[] badWheres = {"{\"nope\":1}", "{\"id\":{\"$regex\":\"x\"}}", "{\"id\":{\"$in\":5}}"};
    for (int i = 0; i < badWheres.length; i++) {
      gateway.send(Jobs.query("bad-where-" + i, "main", Jobs.spec(badWheres[i], 10), Optional.of(Jobs.credentials(db)), 30_000));
      RunnerFrame.Error e = nextError("where " + badWheres[i]);
      assertThat(e.jobId()).contains("bad-where-" + i);
    }
    gateway.send(Jobs.query("bad-url", "main", Jobs.spec("{}", 10), Optional.of(new dev.lensgate.core.runner.JobCredentials(
        "jdbc:sqlite:/tmp/x", "u", dev.lensgate.core.crypto.SecretBytes.fromUtf8("p"))), 30_000));
    assertThat(nextError("unsupported url").code()).isEqualTo(JobExecutor.JOB_REFUSED);
    assertThat(itemStatements()).as("no statement for refused jobs").isEqualTo(statements);
    assertValidJobStillSucceeds("after-refusals");
  }

  @Test
  void cancel_unknownAndFinishedJobs_isHarmless() throws Exception {
    assertValidJobStillSucceeds("done-1");
    gateway.send(new RunnerFrame.Cancel("done-1"));
    for (int i = 0; i < 50; i++) {
      gateway.send(new RunnerFrame.Cancel("never-" + i));
    }
    gateway.send("probe");
    RunnerFrame.Error e = nextError("probe after cancels");
    assertThat(e.message()).isEqualTo("malformed frame");
    assertValidJobStillSucceeds("done-2");
    assertThat(gateway.connections.get()).isEqualTo(1);
  }

  @Test
  void frame_binary_answeredWithErrorAndConnectionStays() throws Exception {
    long statements = itemStatements();
    gateway.sendBinaryToLatest(gateway.codec.encode(Jobs.query("bin", db)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RunnerFrame.Error e = nextError("binary job frame");
    assertThat(e.jobId()).isEmpty();
    assertThat(e.code()).isEqualTo("invalid_request");
    assertThat(itemStatements()).isEqualTo(statements);
    assertThat(gateway.connections.get()).isEqualTo(1);
    assertValidJobStillSucceeds("after-binary");
  }

  @Test
  void frame_aboveMaxSize_closesAndRunnerReconnectsAndWorks() throws Exception {
    long statements = itemStatements();
    String valid = gateway.codec.encode(Jobs.query("huge", db));
    int max = gateway.codec.maxFrameBytes();
    String huge = GatewayFrameGarbage.withField(valid, "spec", "{\"pad\":\"" + "x".repeat(max) + "\"}");
    gateway.send(huge);
    Jobs.await(() -> gateway.connections.get() == 2, "the runner reconnected after the over-size frame");
    assertThat(gateway.closes.poll(20, TimeUnit.SECONDS)).as("the first connection closed").isNotNull();
    gateway.next(RunnerFrame.Heartbeat.class);
    assertThat(itemStatements()).isEqualTo(statements);
    assertValidJobStillSucceeds("after-huge");
  }

  @Test
  void refused_otherCode_closesAndRunnerReconnects() throws Exception {
    gateway.send(new RunnerFrame.Refused("maintenance"));
    Jobs.await(() -> gateway.connections.get() == 2, "the runner reconnected after refused{maintenance}");
    gateway.next(RunnerFrame.Heartbeat.class);
    assertValidJobStillSucceeds("after-refused");
  }
}
