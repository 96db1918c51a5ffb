package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.RunnerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A streaming job's rows on their way from the runner's socket to a consumer on the caller's
 * thread ({@link JobDispatcher#stream}).
 *
 * <p>Buffering: at most {@value #MAX_BUFFERED_CHUNKS} chunks wait between the socket and the
 * consumer (each chunk is one result frame, so bounded by the codec's frame size and row count).
 * When the buffer is full the socket's receiving thread waits up to {@link #MAX_STALL} for the
 * consumer (the runner, which waits for each send to complete, then slows down too); past that the
 * job fails with {@code runner_failed} ("the consumer fell behind") and is cancelled, rather than
 * holding the runner's socket indefinitely. The runner pages itself, so there is no credit protocol.
 *
 * <p>Caps and cancellation: more than {@code maxRows} rows in total fail the job
 * ({@code runner_failed}) and send {@code cancel}. A consumer that throws cancels the job (ledger
 * code {@code consumer_failed}) and its exception propagates to the caller. The deadline covers the
 * whole stream ({@code 504 upstream_timeout} with {@code cancel}).
 *
 * <p>On failure the consumer may already have seen some chunks: the caller must treat the rows as
 * incomplete (a sync discards them). After a failure no further chunk is delivered.
 */
final class JobStream implements JobSink {
  static final int MAX_BUFFERED_CHUNKS = 16;
  static final Duration MAX_STALL = Duration.ofSeconds(5);
  static final String CONSUMER_FAILED = "consumer_failed";
  private static final long STALL_SLICE_MILLIS = 50;

  /** Put once after the job ended; compared by identity. */
  private final List<JsonNode> end = new ArrayList<>();
  private final BlockingQueue<List<JsonNode>> queue = new LinkedBlockingQueue<>();
  private final Semaphore space = new Semaphore(MAX_BUFFERED_CHUNKS);
  private final long maxRows;
  private final Duration maxStall;
  private long rows;
  private volatile boolean ended;

  JobStream(long maxRows, Duration maxStall) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be positive");
    }
    this.maxRows = maxRows;
    this.maxStall = maxStall;
  }

  static JobOutcome run(JobDispatcher dispatcher, JobRequest request, long maxRows, Consumer<List<JsonNode>> onChunk) {
    return run(dispatcher, request, new JobStream(maxRows, MAX_STALL), onChunk);
  }

  static JobOutcome run(JobDispatcher dispatcher, JobRequest request, JobStream stream, Consumer<List<JsonNode>> onChunk) {
    JobDispatcher.Started started = dispatcher.start(request, stream);
    CompletableFuture<JobOutcome> future = started.future();
    // The dispatcher's timer fails the job at its deadline; the extra second only guards a lost timer.
    long endNanos = System.nanoTime() + request.deadline().toNanos() + TimeUnit.SECONDS.toNanos(1);
    while (true) {
      List<JsonNode> chunk;
      try {
        chunk = stream.queue.poll(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        dispatcher.abort(started.jobId(), new LensgateException(ErrorCode.RUNNER_FAILED, "interrupted while reading"),
            CONSUMER_FAILED);
        break;
      }
      if (chunk == null) {
        dispatcher.abort(started.jobId(), new LensgateException(ErrorCode.UPSTREAM_TIMEOUT,
            "the runner did not finish within the deadline"), ErrorCode.UPSTREAM_TIMEOUT.code());
        break;
      }
      if (chunk == stream.end || future.isCompletedExceptionally()) {
        break;
      }
      stream.space.release();
      try {
        onChunk.accept(chunk);
      } catch (RuntimeException e) {
        dispatcher.abort(started.jobId(), e, CONSUMER_FAILED);
        throw e;
      }
    }
    return JobDispatcher.await(future, 1000);
  }

  @Override
  public String accept(List<JsonNode> chunk) {
    if (chunk.isEmpty() || ended) {
      return null;
    }
    synchronized (this) {
      if (rows + chunk.size() > maxRows) {
        return "the read exceeded its row cap";
      }
    }
    long waited = 0;
    try {
      while (!space.tryAcquire(STALL_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
        waited += STALL_SLICE_MILLIS;
        if (ended) {
          return null;
        }
        if (waited >= maxStall.toMillis()) {
          return "the consumer fell behind";
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while buffering";
    }
    synchronized (this) {
      rows += chunk.size();
    }
    queue.add(chunk);
    return null;
  }

  @Override
  public synchronized long rows() {
    return rows;
  }

  /** The runner's final count must equal the rows it streamed. */
  @Override
  public synchronized Optional<JobOutcome> outcome(String jobId, String runnerId, RunnerFrame.Result last) {
    if (last.rowCount() != rows) {
      return Optional.empty();
    }
    return Optional.of(new JobOutcome(jobId, runnerId, List.of(), rows, Optional.empty()));
  }

  @Override
  public void ended() {
    ended = true;
    queue.add(end);
  }
}
