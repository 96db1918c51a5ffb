package dev.lensgate.server.runner;

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
}
