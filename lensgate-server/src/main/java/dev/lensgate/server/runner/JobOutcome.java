package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** What a runner answered for a job: all rows of its result frames, the last frame's {@code next}. */
public record JobOutcome(String jobId, String runnerId, List<JsonNode> rows, long rowCount, Optional<JsonNode> next) {
  public JobOutcome {
    rows = List.copyOf(rows);
  }

  @Override
  public String toString() {
    return "JobOutcome[jobId=" + jobId + ", rows=" + rows.size() + "]";
  }
}
