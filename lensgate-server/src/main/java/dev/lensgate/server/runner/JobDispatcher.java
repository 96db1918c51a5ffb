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

/**
 * Sends jobs to runners and waits for their answers.
 *
 * <p>Per job: pick a healthy runner at random among those with a free in-flight slot (none online
 * → {@code 503 no_runners_online}), send {@code job}, collect {@code result} frames until
 * {@code done}. The job ends exactly once, by the first of: the last result; an {@code error}
 * frame ({@code source_unreachable} and {@code upstream_timeout} keep their codes, anything else is
 * {@code runner_failed}); the socket closing ({@code 502 runner_failed}, at once); the deadline
 * ({@code 504 upstream_timeout} and a {@code cancel} frame to the runner). Every job writes one
 * ledger row.
 *
 * <p>Frames are accepted for a job only from the session it was sent to; frames for unknown or
 * finished jobs, or from another session, are ignored and counted.
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

  /** A job in flight; completes once. */
  private final class Pending {
    final String jobId;
    final RunnerSession session;
    final JobRequest request;
    final long startedNanos = System.nanoTime();
    final CompletableFuture<JobOutcome> future = new CompletableFuture<>();
    final List<JsonNode> rows = new ArrayList<>();
    volatile ScheduledFuture<?> timeout;

    Pending(String jobId, RunnerSession session, JobRequest request) {
      this.jobId = jobId;
      this.session = session;
      this.request = request;
    }

    void succeed(JobOutcome outcome) {
      if (finish()) {
        record("succeeded", outcome.rowCount(), null);
        future.complete(outcome);
      }
    }

    void fail(ErrorCode code, String message) {
      if (finish()) {
        record(code == ErrorCode.UPSTREAM_TIMEOUT ? "timed_out" : "failed", rows.size(), code.code());
        future.completeExceptionally(new LensgateException(code, message));
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
    CompletableFuture<JobOutcome> future = submit(request);
    try {
      // The scheduled deadline completes the future; the extra second only guards against a lost timer.
      return future.get(request.deadline().toMillis() + 1000, TimeUnit.MILLISECONDS);
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
    String jobId = ledger.newJobId();
    RunnerSession session = pick(request, jobId);
    Pending p = new Pending(jobId, session, request);
    pending.put(jobId, p);
    p.timeout = scheduler.schedule(() -> timedOut(p), request.deadline().toMillis(), TimeUnit.MILLISECONDS);
    RunnerFrame.Job job = new RunnerFrame.Job(jobId, request.kind(), request.source(), request.lens(), request.spec(),
        request.credentials(), request.deadline().toMillis());
    boolean sent;
    try {
      sent = session.send(job);
    } catch (IllegalArgumentException e) {
      p.fail(ErrorCode.RUNNER_FAILED, "the job is too large to send to a runner");
      return p.future;
    }
    if (!sent || session.isClosed()) {
      p.fail(ErrorCode.RUNNER_FAILED, "the runner connection failed");
    }
    return p.future;
  }

  private RunnerSession pick(JobRequest request, String jobId) {
    List<RunnerSession> candidates = new ArrayList<>(sessions.healthy(request.orgId(), request.runnerNames()));
    if (candidates.isEmpty()) {
      ledger.record(new RunnerJobRow(jobId, Optional.empty(), request.envId(), request.source(), request.kind().wireName(),
          "failed", 0, 0, Optional.of(ErrorCode.NO_RUNNERS_ONLINE.code()), clock.instant()));
      throw new LensgateException(ErrorCode.NO_RUNNERS_ONLINE, "no runner for source " + request.source() + " is online");
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
      ignoredFrames.incrementAndGet();
      return;
    }
    boolean tooMany;
    synchronized (p) {
      tooMany = p.rows.size() + r.rows().size() > MAX_ROWS_PER_JOB;
      if (!tooMany) {
        p.rows.addAll(r.rows());
      }
    }
    if (tooMany) {
      p.fail(ErrorCode.RUNNER_FAILED, "the runner returned too many rows");
      from.send(new RunnerFrame.Cancel(p.jobId));
      return;
    }
    if (r.done()) {
      List<JsonNode> rows;
      synchronized (p) {
        rows = List.copyOf(p.rows);
      }
      p.succeed(new JobOutcome(p.jobId, from.runner().id(), rows, Math.max(r.rowCount(), rows.size()), r.next()));
    }
  }

  void onError(RunnerSession from, RunnerFrame.Error e) {
    if (e.jobId().isEmpty()) {
      ignoredFrames.incrementAndGet();
      return;
    }
    Pending p = pending.get(e.jobId().get());
    if (p == null || p.session != from) {
      ignoredFrames.incrementAndGet();
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

  /** Frames ignored because they named an unknown, finished or foreign job. */
  public long ignoredFrames() {
    return ignoredFrames.get();
  }

  public int inFlight() {
    return pending.size();
  }
}
