package dev.lensgate.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code runner_jobs} ledger row: who ran what kind of job for which env and source, how it
 * ended and how long it took. By construction it has no place for parameters or row contents.
 *
 * @param runnerId empty when no runner was available
 * @param status {@code succeeded}, {@code failed} or {@code timed_out}
 * @param errorCode the contract error code of a failed job
 */
public record RunnerJobRow(String id, Optional<String> runnerId, String envId, String source, String kind,
    String status, long durationMs, long rowCount, Optional<String> errorCode, Instant createdAt) {
  public RunnerJobRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(runnerId, "runnerId");
    Objects.requireNonNull(envId, "envId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
