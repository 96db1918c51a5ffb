package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.runner.RunnerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects every row of a job, across any number of result frames, up to a cap; the outcome holds
 * them all with the last frame's {@code next}. Thread-safe (frames of one job arrive in order,
 * but the ledger may read the count from a timer thread).
 */
final class CollectedRows implements JobSink {
  private final int maxRows;
  private final List<JsonNode> rows = new ArrayList<>();

  CollectedRows(int maxRows) {
    this.maxRows = maxRows;
  }

  @Override
  public synchronized String accept(List<JsonNode> chunk) {
    if (rows.size() + (long) chunk.size() > maxRows) {
      return "the runner returned too many rows";
    }
    rows.addAll(chunk);
    return null;
  }

  @Override
  public synchronized long rows() {
    return rows.size();
  }

  /** For a count, rows are empty and {@code rowCount} is the count: the larger of the two is reported. */
  @Override
  public synchronized Optional<JobOutcome> outcome(String jobId, String runnerId, RunnerFrame.Result last) {
    return Optional.of(new JobOutcome(jobId, runnerId, List.copyOf(rows), Math.max(last.rowCount(), rows.size()), last.next()));
  }
}
