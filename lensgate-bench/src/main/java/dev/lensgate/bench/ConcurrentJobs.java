package dev.lensgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.server.runner.JobDispatcher;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code jobs} point reads in flight at once on one runner socket.
 *
 * <p>To make "at once" true rather than hoped for, a separate session holds {@code LOCK TABLE items
 * IN ACCESS EXCLUSIVE MODE} while the jobs are submitted straight to the gateway's
 * {@link JobDispatcher} (HTTP would cap the concurrency at Jetty's thread pool): the runner's 16
 * job threads block on the lock and the rest queue in the runner, so no job can finish until every
 * one has been sent. The harness waits until the dispatcher holds all {@code jobs} as pending, then
 * commits (releasing the lock) and times how long the whole batch takes to answer. Each answer must
 * be exactly the requested row; anything else, or any exception, is an error.
 */
final class ConcurrentJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);
  private static final long ALL_PENDING_BOUND_MILLIS = 30_000;

  /**
   * @param peakInFlight the dispatcher's pending jobs when the lock was released
   * @param errorsByCode failed jobs by error code ({@code wrong_row} for an unexpected answer)
   */
  record Result(int jobs, int peakInFlight, long submitMillis, long completeMillis, int ok,
      Map<String, Integer> errorsByCode, int inFlightAfter) {
    int errors() {
      return errorsByCode.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private ConcurrentJobs() {}

  static Result run(JobDispatcher dispatcher, TestDatabase db, String orgId, String envId, String source,
      String runnerName, LensSchema lens, int jobs, long orgIndex, int orgs, int perOrg) throws Exception {
    LensMapping mapping = LensMapping.of(lens);
    List<CompletableFuture<JobOutcome>> futures = new ArrayList<>(jobs);
    List<Long> ids = new ArrayList<>(jobs);
    Map<String, Integer> errors = new TreeMap<>();
    int peak;
    long submitMillis;
    long t0;
    try (Connection lock = db.connect()) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE \"" + db.name() + "\".items IN ACCESS EXCLUSIVE MODE");
      }
      long s0 = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        long id = orgIndex + (long) orgs * (i % perOrg);
        ids.add(id);
        JobRequest request = new JobRequest(orgId, envId, source, List.of(runnerName), JobKind.QUERY, mapping,
            spec(lens.name(), id), Optional.empty(), JOB_DEADLINE);
        try {
          futures.add(dispatcher.submit(request));
        } catch (LensgateException e) {
          futures.add(CompletableFuture.failedFuture(e));
        }
      }
      submitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0);
      long end = System.currentTimeMillis() + ALL_PENDING_BOUND_MILLIS;
      while (dispatcher.inFlight() < jobs && System.currentTimeMillis() < end && !anyDone(futures)) {
        Thread.sleep(5);
      }
      peak = dispatcher.inFlight();
      t0 = System.nanoTime();
      lock.commit();
    }
    int ok = 0;
    for (int i = 0; i < jobs; i++) {
      String code = outcome(futures.get(i), ids.get(i));
      if (code == null) {
        ok++;
      } else {
        errors.merge(code, 1, Integer::sum);
      }
    }
    long completeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    return new Result(jobs, peak, submitMillis, completeMillis, ok, errors, dispatcher.inFlight());
  }

  private static boolean anyDone(List<CompletableFuture<JobOutcome>> futures) {
    for (CompletableFuture<JobOutcome> f : futures) {
      if (f.isDone()) {
        return true;
      }
    }
    return false;
  }

  /** Null when the job answered exactly row {@code id}, else an error code. */
  private static String outcome(CompletableFuture<JobOutcome> f, long id) throws InterruptedException {
    try {
      JobOutcome o = f.get(JOB_DEADLINE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      boolean right = o.rows().size() == 1 && o.rows().get(0).path("id").asLong() == id;
      return right ? null : "wrong_row";
    } catch (ExecutionException e) {
      return e.getCause() instanceof LensgateException ? ((LensgateException) e.getCause()).code().code()
          : e.getCause().getClass().getSimpleName();
    } catch (TimeoutException e) {
      return "no_answer";
    }
  }

  /** The structured read the gateway itself ships for {@code {"where":{"id":N}}}: never SQL. */
  private static JsonNode spec(String lens, long id) {
    try {
      return JSON.readTree("{\"lens\":\"" + lens + "\",\"where\":{\"id\":" + id + "},"
          + "\"orderBy\":[{\"field\":\"id\",\"dir\":\"asc\"}],\"limit\":2,\"offset\":0,"
          + "\"select\":[\"id\",\"orgId\",\"name\",\"price\"]}");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
