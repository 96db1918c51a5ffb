package dev.lensgate.runner;

import dev.lensgate.core.runner.RunnerFrame;
import java.util.function.Consumer;

/** What the connection hands gateway jobs to. Implementations must not block the caller. */
interface JobHandler {
  /** Starts {@code job}; its one answer (result or error) goes to {@code reply}, from any thread. */
  void submit(RunnerFrame.Job job, Consumer<RunnerFrame> reply);

  /** The gateway gave up on {@code jobId}: stop it; no answer is sent. Unknown ids are ignored. */
  void cancel(String jobId);

  /** The socket is gone: stop everything in flight. */
  void cancelAll();
}
