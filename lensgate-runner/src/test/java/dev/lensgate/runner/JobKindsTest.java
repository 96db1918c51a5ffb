package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.testkit.TestDatabase;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code count}, {@code read} and {@code test} job kinds on a real PostgreSQL, and their failure paths. */
class JobKindsTest {
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

  private static RunnerFrame.Job job(String id, JobKind kind, TestDatabase db, JsonNode spec, long deadlineMillis) {
    return new RunnerFrame.Job(id, kind, "main", LensMapping.of(Jobs.ITEMS), spec, Optional.of(Jobs.credentials(db)),
        deadlineMillis);
  }

  /** Records every frame; a frame with done=true or an error is the last. */
  private static final class Recorder implements JobHandler.Replies {
    final BlockingQueue<RunnerFrame> frames = new LinkedBlockingQueue<>();

    @Override
    public void send(RunnerFrame frame) {
      frames.add(frame);
    }

    RunnerFrame next() throws InterruptedException {
      RunnerFrame f = frames.poll(30, TimeUnit.SECONDS);
      assertThat(f).as("a frame within 30 s").isNotNull();
      return f;
    }

    /** Frames up to and including the final one. */
    List<RunnerFrame> untilFinal() throws InterruptedException {
      List<RunnerFrame> out = new ArrayList<>();
      while (true) {
        RunnerFrame f = next();
        out.add(f);
        if (f instanceof RunnerFrame.Error || ((RunnerFrame.Result) f).done()) {
          return out;
        }
      }
    }
  }

  @Test
  void count_filterOnPostgres_answersOneRowlessResultWithTheCount() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 25);
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("c1", JobKind.COUNT, db, Jobs.spec("{\"id\":{\"$gt\":10}}", 5), 30_000), r);
      List<RunnerFrame> frames = r.untilFinal();
      assertThat(frames).hasSize(1);
      RunnerFrame.Result result = (RunnerFrame.Result) frames.get(0);
      assertThat(result.rows()).isEmpty();
      assertThat(result.rowCount()).isEqualTo(15);
      assertThat(result.next()).isEmpty();
    }
  }

  @Test
  void count_unknownFieldInWhere_errorFrameNoSql() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 3);
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("c1", JobKind.COUNT, db, Jobs.spec("{\"nope\":1}", 5), 30_000), r);
      RunnerFrame f = r.next();
      assertThat(f).isInstanceOf(RunnerFrame.Error.class);
      assertThat(((RunnerFrame.Error) f).code()).isEqualTo("unknown_field");
      assertThat(((RunnerFrame.Error) f).message()).doesNotContain("nope");
    }
  }

  @Test
  void count_unsupportedOperator_errorFrame() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 3);
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("c1", JobKind.COUNT, db, Jobs.spec("{\"id\":{\"$regex\":\"x\"}}", 5), 30_000), r);
      RunnerFrame f = r.next();
      assertThat(f).isInstanceOf(RunnerFrame.Error.class);
      assertThat(((RunnerFrame.Error) f).code()).isEqualTo("unsupported_operator");
    }
  }

  @Test
  void read_wholeTable_streamsPagesAsChunksInKeyOrderThenFinalTotal() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 23);
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("r1", JobKind.READ, db, Jobs.spec("{}", 5), 30_000), r);
      List<RunnerFrame> frames = r.untilFinal();
      // 23 rows in pages of 5: five done:false chunks, then a rowless done:true with the total.
      assertThat(frames).hasSize(6);
      List<Long> ids = new ArrayList<>();
      long previousCount = 0;
      for (RunnerFrame f : frames.subList(0, 5)) {
        RunnerFrame.Result chunk = (RunnerFrame.Result) f;
        assertThat(chunk.done()).isFalse();
        assertThat(chunk.rows()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(chunk.rowCount()).isEqualTo(previousCount + chunk.rows().size());
        previousCount = chunk.rowCount();
        chunk.rows().forEach(row -> ids.add(row.get("id").longValue()));
      }
      RunnerFrame.Result last = (RunnerFrame.Result) frames.get(5);
      assertThat(last.done()).isTrue();
      assertThat(last.rows()).isEmpty();
      assertThat(last.rowCount()).isEqualTo(23);
      List<Long> expected = new ArrayList<>();
      for (long i = 1; i <= 23; i++) {
        expected.add(i);
      }
      assertThat(ids).isEqualTo(expected);
    }
  }

  @Test
  void read_withFilter_streamsOnlyMatchingRows() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 30);
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("r1", JobKind.READ, db, Jobs.spec("{\"id\":{\"$lte\":7}}", 3), 30_000), r);
      List<RunnerFrame> frames = r.untilFinal();
      RunnerFrame.Result last = (RunnerFrame.Result) frames.get(frames.size() - 1);
      assertThat(last.rowCount()).isEqualTo(7);
      assertThat(frames.stream().mapToInt(f -> ((RunnerFrame.Result) f).rows().size()).sum()).isEqualTo(7);
    }
  }

  @Test
  void read_emptyTable_onlyTheFinalResult() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(100))");
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("r1", JobKind.READ, db, Jobs.spec("{}", 5), 30_000), r);
      List<RunnerFrame> frames = r.untilFinal();
      assertThat(frames).hasSize(1);
      assertThat(((RunnerFrame.Result) frames.get(0)).rowCount()).isZero();
    }
  }

  @Test
  void read_withOffset_refused() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 3);
      JsonNode spec = ((com.fasterxml.jackson.databind.node.ObjectNode) Jobs.spec("{}", 5).deepCopy()).put("offset", 1);
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("r1", JobKind.READ, db, spec, 30_000), r);
      RunnerFrame f = r.next();
      assertThat(((RunnerFrame.Error) f).code()).isEqualTo("invalid_request");
    }
  }

  @Test
  void read_cancelledMidStream_stopsReadingAndSendsNothingMore() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 40);
      JobExecutor e = executor(Map.of());
      BlockingQueue<RunnerFrame> frames = new LinkedBlockingQueue<>();
      AtomicInteger paced = new AtomicInteger();
      JobHandler.Replies replies = new JobHandler.Replies() {
        @Override
        public void send(RunnerFrame frame) {
          frames.add(frame);
        }

        @Override
        public CompletionStage<?> sendPaced(RunnerFrame frame) {
          frames.add(frame);
          if (paced.incrementAndGet() == 2) {
            e.cancel("r1"); // the gateway's cancel arrives while the second chunk is on its way
          }
          return CompletableFuture.completedFuture(null);
        }
      };
      e.submit(job("r1", JobKind.READ, db, Jobs.spec("{}", 4), 30_000), replies);
      Jobs.await(() -> e.inFlight() == 0, "the read to stop");
      Thread.sleep(200); // would let a runaway read send more (not a timing assertion)
      assertThat(paced.get()).isEqualTo(2);
      assertThat(frames).hasSize(2).allMatch(f -> !((RunnerFrame.Result) f).done());
    }
  }

  @Test
  void read_sendStalledThenCancelled_workerIsFreed() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 40);
      JobExecutor e = executor(Map.of());
      CompletableFuture<Void> never = new CompletableFuture<>();
      AtomicInteger paced = new AtomicInteger();
      JobHandler.Replies replies = new JobHandler.Replies() {
        @Override
        public void send(RunnerFrame frame) {
          throw new AssertionError("a cancelled read must not send a final frame: " + frame);
        }

        @Override
        public CompletionStage<?> sendPaced(RunnerFrame frame) {
          paced.incrementAndGet();
          return never; // a socket that does not drain
        }
      };
      e.submit(job("r1", JobKind.READ, db, Jobs.spec("{}", 4), 600_000), replies);
      Jobs.await(() -> paced.get() == 1, "the first chunk");
      e.cancel("r1");
      Jobs.await(() -> e.inFlight() == 0, "the stalled read to stop");
      assertThat(paced.get()).isEqualTo(1);
    }
  }

  @Test
  void read_socketGoneMidStream_stopsWithoutFinalFrame() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Jobs.createItems(db, 40);
      JobExecutor e = executor(Map.of());
      AtomicInteger paced = new AtomicInteger();
      List<RunnerFrame> finals = new ArrayList<>();
      JobHandler.Replies replies = new JobHandler.Replies() {
        @Override
        public void send(RunnerFrame frame) {
          finals.add(frame);
        }

        @Override
        public CompletionStage<?> sendPaced(RunnerFrame frame) {
          paced.incrementAndGet();
          return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
      };
      e.submit(job("r1", JobKind.READ, db, Jobs.spec("{}", 4), 30_000), replies);
      Jobs.await(() -> paced.get() == 1 && e.inFlight() == 0, "the read to stop");
      assertThat(finals).isEmpty();
    }
  }

  @Test
  void query_pageWiderThanOneFrame_splitIntoChunksLastCarriesNext() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
      // 12 rows of ~1 MB each: a page of 10 cannot fit one 8 MB frame.
      db.execute("INSERT INTO items SELECT g, repeat('x', 1000000) FROM generate_series(1, 12) g");
      Recorder r = new Recorder();
      executor(Map.of()).submit(job("q1", JobKind.QUERY, db, Jobs.spec("{}", 10), 60_000), r);
      List<RunnerFrame> frames = r.untilFinal();
      assertThat(frames.size()).isGreaterThan(1);
      int rows = 0;
      for (int i = 0; i < frames.size(); i++) {
        RunnerFrame.Result f = (RunnerFrame.Result) frames.get(i);
        rows += f.rows().size();
        assertThat(f.done()).isEqualTo(i == frames.size() - 1);
        assertThat(f.next().isPresent()).isEqualTo(i == frames.size() - 1);
        assertThat(f.rowCount()).isEqualTo(rows);
      }
      assertThat(rows).isEqualTo(10);
      System.out.println("10 rows of 1 MB answered in " + frames.size() + " frames");
    }
  }

  @Test
  void test_allowListNamesSourceButNotTable_testStillAnswered() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Recorder r = new Recorder();
      executor(Map.of(AllowList.ENV_ALLOW, "main:orders")).submit(job("t1", JobKind.TEST, db, Jobs.JSON.createObjectNode(),
          30_000), r);
      assertThat(r.next()).isInstanceOf(RunnerFrame.Result.class);
    }
  }

  @Test
  void test_sourceOutsideAllowList_refused() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      Recorder r = new Recorder();
      executor(Map.of(AllowList.ENV_ALLOW, "other:*")).submit(job("t1", JobKind.TEST, db, Jobs.JSON.createObjectNode(),
          30_000), r);
      assertThat(((RunnerFrame.Error) r.next()).code()).isEqualTo(JobExecutor.JOB_REFUSED);
    }
  }

  @Test
  void query_refusedPortAndDeadlineUnderConnectTimeout_sourceUnreachableBeforeDeadline() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/nowhere";
    Map<String, String> env = Map.of("LENSGATE_SOURCE_MAIN_URL", url, "LENSGATE_SOURCE_MAIN_USER", "u");
    JobExecutor e = executor(env);
    for (JobKind kind : List.of(JobKind.QUERY, JobKind.COUNT, JobKind.READ, JobKind.TEST)) {
      Recorder r = new Recorder();
      long start = System.nanoTime();
      e.submit(new RunnerFrame.Job("j-" + kind.wireName(), kind, "main", LensMapping.of(Jobs.ITEMS),
          kind == JobKind.TEST ? Jobs.JSON.createObjectNode() : Jobs.spec("{}", 5), Optional.empty(), 2_000), r);
      RunnerFrame f = r.next();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println(kind.wireName() + " against a refused port answered in " + ms + " ms");
      assertThat(f).isInstanceOf(RunnerFrame.Error.class);
      // source_unreachable, not upstream_timeout: the refusal was seen before the 2 s deadline
      assertThat(((RunnerFrame.Error) f).code()).isEqualTo("source_unreachable");
    }
  }

  @Test
  void announcedSources_allowListOrWildcardPlusLocal() {
    assertThat(executor(Map.of()).announcedSources()).containsExactly("*");
    executor.close();
    assertThat(executor(Map.of("LENSGATE_SOURCE_EDGE_DB_URL", "jdbc:postgresql://h/db")).announcedSources())
        .containsExactly("*", "edge_db");
    executor.close();
    assertThat(executor(Map.of(AllowList.ENV_ALLOW, "main:items,main:orders,crm:*",
        "LENSGATE_SOURCE_EDGE_DB_URL", "jdbc:postgresql://h/db")).announcedSources())
        .containsExactly("crm", "main");
  }
}
