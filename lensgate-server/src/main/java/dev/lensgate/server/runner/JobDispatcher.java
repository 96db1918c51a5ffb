package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.server.store.RunnerJobRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sends jobs to runners and waits for their answers.
 *
 * <p>Runner selection: among the healthy sessions of the runners the source names
 * ({@link RunnerSessions#healthy}), only those whose last heartbeat announced the job's source are
 * eligible ({@link RunnerSession#announces}): a runner that announced nothing yet (or an empty
 * list) is eligible for every source; one that announced {@code "*"} (no allow-list) is eligible
 * for every managed source; a runner-local source (a job without credentials) needs its name in
 * the list, since only a runner holding its environment variables can serve it. Names compare
 * case-insensitively with {@code -} and {@code .} as {@code _}, as the runner's environment
 * variable names do. A runner that excluded the source is never picked, even when it is the only
 * one online: the job is then {@code 503 no_runners_online}, not sent to be refused.
 *
 * <p>Per job: pick an eligible runner at random among those with a free in-flight slot (none
 * → {@code 503 no_runners_online}), send {@code job}, collect {@code result} frames until
 * {@code done}: all rows up to {@value #MAX_ROWS_PER_JOB} for {@link #submit}/{@link #dispatch},
 * or handed chunk by chunk to a consumer for {@link #stream} ({@link JobStream}). The job ends
 * exactly once, by the first of: the last result; an {@code error}
 * frame ({@code source_unreachable} and {@code upstream_timeout} keep their codes, anything else is
 * {@code runner_failed}); the socket closing ({@code 502 runner_failed}, at once); the deadline
 * ({@code 504 upstream_timeout} and a {@code cancel} frame to the runner). Every job writes one
 * ledger row.
 *
 * <p>Frames are accepted for a job only from the session it was sent to; frames for unknown or
 * finished jobs, or from another session, change nothing: they are counted and answered with a {@code cancel} of that job id.
 *
 * <p>Thread-safe.
 */
public final class JobDispatcher implements JobDispatch {
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_SOCKET = 1024;
  /** Rows one job may return across all its result frames. */
  static final int MAX_ROWS_PER_JOB = 10_000;

  private final RunnerSessions sessions;
  private final RunnerLedger ledger;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final int maxInFlightPerSocket;
  private final Random random;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ignoredFrames = new AtomicLong();

  public JobDispatcher(RunnerSessions sessions, RunnerLedger ledger, ScheduledExecutorService scheduler, Clock clock,
      int maxInFlightPerSocket, Random random) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxInFlightPerSocket < 1) {
      throw new IllegalArgumentException("maxInFlightPerSocket must be positive");
    }
    this.maxInFlightPerSocket = maxInFlightPerSocket;
    this.random = Objects.requireNonNull(random, "random");
    sessions.onClosed(this::sessionClosed);
  }

  /** A job started by {@link #start}: its id and its one outcome. */
  record Started(String jobId, CompletableFuture<JobOutcome> future) {}

  /** A job in flight; completes once. */
  private final class Pending {
    final String jobId;
    final RunnerSession session;
    final JobRequest request;
    final JobSink sink;
    final long startedNanos = System.nanoTime();
    final CompletableFuture<JobOutcome> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timeout;

    Pending(String jobId, RunnerSession session, JobRequest request, JobSink sink) {
      this.jobId = jobId;
      this.session = session;
      this.request = request;
      this.sink = sink;
    }

    void succeed(JobOutcome outcome) {
      if (finish()) {
        record("succeeded", outcome.rowCount(), null);
        future.complete(outcome);
        sink.ended();
      }
    }

    void fail(ErrorCode code, String message) {
      fail(new LensgateException(code, message), code.code(), code == ErrorCode.UPSTREAM_TIMEOUT ? "timed_out" : "failed");
    }

    void fail(RuntimeException cause, String ledgerCode, String status) {
      if (finish()) {
        record(status, sink.rows(), ledgerCode);
        future.completeExceptionally(cause);
        sink.ended();
      }
    }

    private boolean finish() {
      if (!pending.remove(jobId, this)) {
        return false;
      }
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
      session.release();
      return true;
    }

    private void record(String status, long rowCount, String errorCode) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
      ledger.record(new RunnerJobRow(jobId, Optional.of(session.runner().id()), request.envId(), request.source(),
          request.kind().wireName(), status, ms, rowCount, Optional.ofNullable(errorCode), clock.instant()));
    }
  }

  /**
   * Runs {@code request} on a runner and waits for its answer.
   *
   * @throws LensgateException {@code NO_RUNNERS_ONLINE}, {@code RUNNER_FAILED},
   *     {@code SOURCE_UNREACHABLE} or {@code UPSTREAM_TIMEOUT}
   */
  @Override
  public JobOutcome dispatch(JobRequest request) {
    // The scheduled deadline completes the future; the extra second only guards against a lost timer.
    return await(submit(request), request.deadline().toMillis() + 1000);
  }

  /** The outcome of {@code future}, its failure unwrapped to a {@link LensgateException}. */
  static JobOutcome await(CompletableFuture<JobOutcome> future, long timeoutMillis) {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LensgateException) {
        throw (LensgateException) e.getCause();
      }
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner job failed", e.getCause());
    } catch (TimeoutException e) {
      throw new LensgateException(ErrorCode.UPSTREAM_TIMEOUT, "the runner did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "interrupted while waiting for the runner");
    }
  }

  /** Sends {@code request} to a runner; the future completes as {@link #dispatch} describes. */
  public CompletableFuture<JobOutcome> submit(JobRequest request) {
    return start(request, new CollectedRows(MAX_ROWS_PER_JOB)).future();
  }

  /**
   * Runs a streaming job ({@code read}) and hands its rows to {@code onChunk}, chunk by chunk in
   * order, on the calling thread; blocks until the last chunk. The rows are not collected, so
   * {@code maxRows} may exceed {@value #MAX_ROWS_PER_JOB}. See {@link JobStream} for buffering,
   * cancellation and what a consumer sees on failure.
   *
   * @param maxRows most rows the job may return; more fails it ({@code 502 runner_failed}) and
   *     cancels it on the runner
   * @return the outcome: no rows, {@code rowCount} the total delivered
   * @throws LensgateException as {@link #dispatch}; a consumer's exception is rethrown as is,
   *     after the job was cancelled
   */
  @Override
  public JobOutcome stream(JobRequest request, long maxRows, Consumer<List<JsonNode>> onChunk) {
    return JobStream.run(this, request, maxRows, onChunk);
  }

  /** Sends {@code request} with {@code sink} taking its rows. */
  Started start(JobRequest request, JobSink sink) {
    String jobId = ledger.newJobId();
    RunnerSession session = pick(request, jobId);
    Pending p = new Pending(jobId, session, request, sink);
    pending.put(jobId, p);
    p.timeout = scheduler.schedule(() -> timedOut(p), request.deadline().toMillis(), TimeUnit.MILLISECONDS);
    RunnerFrame.Job job = new RunnerFrame.Job(jobId, request.kind(), request.source(), request.lens(), request.spec(),
        request.credentials(), request.deadline().toMillis());
    boolean sent;
    try {
      sent = session.send(job);
    } catch (IllegalArgumentException e) {
      p.fail(ErrorCode.RUNNER_FAILED, "the job is too large to send to a runner");
      return new Started(jobId, p.future);
    }
    if (!sent || session.isClosed()) {
      p.fail(ErrorCode.RUNNER_FAILED, "the runner connection failed");
    }
    return new Started(jobId, p.future);
  }

  /**
   * Ends job {@code jobId} from the gateway's side (its consumer failed or gave up): the job fails
   * with {@code cause}, the ledger row says {@code ledgerCode}, and the runner gets {@code cancel}.
   */
  void abort(String jobId, RuntimeException cause, String ledgerCode) {
    Pending p = pending.get(jobId);
    if (p == null) {
      return;
    }
    p.fail(cause, ledgerCode, "failed");
    p.session.send(new RunnerFrame.Cancel(jobId));
  }

  private RunnerSession pick(JobRequest request, String jobId) {
    List<RunnerSession> candidates = new ArrayList<>();
    boolean runnerLocal = request.credentials().isEmpty();
    List<RunnerSession> healthy = sessions.healthy(request.orgId(), request.runnerNames());
    for (RunnerSession s : healthy) {
      if (s.announces(request.source(), runnerLocal)) {
        candidates.add(s);
      }
    }
    if (candidates.isEmpty()) {
      ledger.record(new RunnerJobRow(jobId, Optional.empty(), request.envId(), request.source(), request.kind().wireName(),
          "failed", 0, 0, Optional.of(ErrorCode.NO_RUNNERS_ONLINE.code()), clock.instant()));
      throw new LensgateException(ErrorCode.NO_RUNNERS_ONLINE, healthy.isEmpty()
          ? "no runner for source " + request.source() + " is online"
          : "no online runner announces source " + request.source() + " (check the runners' allow-lists and local sources)");
    }
    while (!candidates.isEmpty()) {
      RunnerSession s = candidates.remove(random.nextInt(candidates.size()));
      if (s.tryAcquire(maxInFlightPerSocket)) {
        return s;
      }
    }
    ledger.record(new RunnerJobRow(jobId, Optional.empty(), request.envId(), request.source(), request.kind().wireName(),
        "failed", 0, 0, Optional.of(ErrorCode.NO_RUNNERS_ONLINE.code()), clock.instant()));
    throw new LensgateException(ErrorCode.NO_RUNNERS_ONLINE, "every runner for source " + request.source() + " is busy");
  }

  private void timedOut(Pending p) {
    if (pending.get(p.jobId) != p) {
      return;
    }
    p.fail(ErrorCode.UPSTREAM_TIMEOUT, "the runner did not answer within the deadline");
    p.session.send(new RunnerFrame.Cancel(p.jobId));
  }

  void onResult(RunnerSession from, RunnerFrame.Result r) {
    Pending p = pending.get(r.jobId());
    if (p == null || p.session != from) {
      ignored(from, r.jobId());
      return;
    }
    String refusal = p.sink.accept(r.rows());
    if (refusal != null) {
      p.fail(ErrorCode.RUNNER_FAILED, refusal);
      from.send(new RunnerFrame.Cancel(p.jobId));
      return;
    }
    if (r.done()) {
      Optional<JobOutcome> outcome = p.sink.outcome(p.jobId, from.runner().id(), r);
      if (outcome.isPresent()) {
        p.succeed(outcome.get());
      } else {
        p.fail(ErrorCode.RUNNER_FAILED, "the runner's row count does not match its rows");
      }
    }
  }

  void onError(RunnerSession from, RunnerFrame.Error e) {
    if (e.jobId().isEmpty()) {
      ignoredFrames.incrementAndGet();
      return;
    }
    Pending p = pending.get(e.jobId().get());
    if (p == null || p.session != from) {
      ignored(from, e.jobId().get());
      return;
    }
    switch (e.code()) {
      case "source_unreachable":
        p.fail(ErrorCode.SOURCE_UNREACHABLE, "the runner could not reach the source");
        break;
      case "upstream_timeout":
        p.fail(ErrorCode.UPSTREAM_TIMEOUT, "the source did not answer the runner in time");
        break;
      default:
        // The runner's message is not forwarded: it is another party's text.
        p.fail(ErrorCode.RUNNER_FAILED, "the runner refused or failed the job");
    }
  }

  /** Fails every job in flight on {@code s}: its socket is gone. */
  void sessionClosed(RunnerSession s) {
    for (Pending p : pending.values()) {
      if (p.session == s) {
        p.fail(ErrorCode.RUNNER_FAILED, "the runner disconnected during the job");
      }
    }
  }

  /**
   * A frame naming a job that is not in flight on {@code from} (unknown, finished, or another
   * session's): it changes nothing, and the sender is told to stop that job with a {@code cancel}
   * (one small frame per frame received, so no amplification; the owner of a foreign job is
   * unaffected, cancels are per session).
   */
  private void ignored(RunnerSession from, String jobId) {
    ignoredFrames.incrementAndGet();
    from.send(new RunnerFrame.Cancel(jobId));
  }

  /** Frames ignored because they named an unknown, finished or foreign job. */
  public long ignoredFrames() {
    return ignoredFrames.get();
  }

  public int inFlight() {
    return pending.size();
  }
}
