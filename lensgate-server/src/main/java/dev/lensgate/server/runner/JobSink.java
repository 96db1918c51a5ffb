package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.runner.RunnerFrame;
import java.util.List;
import java.util.Optional;

/**
 * Where a job's result rows go as its frames arrive: collected ({@link CollectedRows}) or handed to
 * a streaming consumer ({@link JobStream}). Called by the dispatcher from the session's receiving
 * thread, one frame at a time per job.
 */
interface JobSink {
  /**
   * Takes one frame's rows.
   *
   * @return null when taken, else why the job must fail (over its row cap, consumer too slow);
   *     the dispatcher then fails the job with {@code runner_failed} and cancels it on the runner
   */
  String accept(List<JsonNode> rows);

  /** Rows taken so far (for the ledger). */
  long rows();

  /** The outcome once the final frame {@code last} was taken; empty if the frames do not add up. */
  Optional<JobOutcome> outcome(String jobId, String runnerId, RunnerFrame.Result last);

  /** The job ended, either way (after its future completed). */
  default void ended() {}
}
