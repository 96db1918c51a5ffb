package dev.lensgate.runner;

import dev.lensgate.core.runner.RunnerFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What the connection hands gateway jobs to. Implementations must not block the caller. */
interface JobHandler {
  /**
   * Starts {@code job}; its frames go to {@code reply}, from any thread: for {@code query},
   * {@code count} and {@code test} one answer (a result, possibly split into several chunks, or an
   * error); for {@code read} a stream of {@code done:false} chunks then a final result or error.
   */
  void submit(RunnerFrame.Job job, Replies reply);

  /** The gateway gave up on {@code jobId}: stop it; no answer is sent. Unknown ids are ignored. */
  void cancel(String jobId);

  /** The socket is gone: stop everything in flight. */
  void cancelAll();

  /** Where a job's frames go. */
  @FunctionalInterface
  interface Replies {
    /** Queues {@code frame} for sending. */
    void send(RunnerFrame frame);

    /**
     * Sends {@code frame} and completes once it was written to the socket, exceptionally if it
     * could not be (socket gone). Streaming jobs wait on it before reading on, so a slow socket
     * paces the database reads and the runner holds at most one chunk per job in memory. The
     * default sends and completes at once.
     */
    default CompletionStage<?> sendPaced(RunnerFrame frame) {
      send(frame);
      return CompletableFuture.completedFuture(null);
    }
  }
}
