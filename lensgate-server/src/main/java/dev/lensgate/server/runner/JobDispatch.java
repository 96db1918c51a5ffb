package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one runner job and waits for its answer: locally on this node's runner sockets
 * ({@link JobDispatcher}) or on a runner-facing node over the internal link
 * ({@code dev.lensgate.server.internal.InternalDispatchClient}). Callers cannot tell which.
 *
 * <p>Implementations are thread-safe.
 */
public interface JobDispatch {
  /**
   * Runs {@code request} and returns the runner's complete answer.
   *
   * @throws dev.lensgate.core.error.LensgateException {@code NO_RUNNERS_ONLINE} (503),
   *     {@code RUNNER_FAILED} or {@code SOURCE_UNREACHABLE} (502), {@code UPSTREAM_TIMEOUT} (504)
   */
  JobOutcome dispatch(JobRequest request);

  /**
   * Runs a streaming job ({@code read}), handing its rows to {@code onChunk} in order on the
   * calling thread; returns an outcome without rows whose {@code rowCount} is the total.
   * {@link JobDispatcher} streams chunk by chunk; this default runs the job through
   * {@link #dispatch} (rows collected up to the per-job cap) and hands them over as one chunk.
   */
  default JobOutcome stream(JobRequest request, long maxRows, Consumer<List<JsonNode>> onChunk) {
    JobOutcome o = dispatch(request);
    if (!o.rows().isEmpty()) {
      onChunk.accept(o.rows());
    }
    return new JobOutcome(o.jobId(), o.runnerId(), List.of(), o.rowCount(), Optional.empty());
  }
}
