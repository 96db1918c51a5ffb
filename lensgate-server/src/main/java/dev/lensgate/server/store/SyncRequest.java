package dev.lensgate.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One queued, running or finished sync job.
 *
 * @param origin {@code ingest}, {@code cli} or {@code schedule}
 * @param status {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param notBefore the job waits until then (the ingest debounce)
 */
public record SyncRequest(String id, String envId, String lens, SyncMode mode, String origin, String status,
    Instant requestedAt, Instant notBefore, Optional<Instant> finishedAt, Optional<String> errorCode) {
  public static final String ORIGIN_INGEST = "ingest";
  public static final String ORIGIN_CLI = "cli";
  public static final String ORIGIN_SCHEDULE = "schedule";
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  public boolean finished() {
    return DONE.equals(status) || FAILED.equals(status);
  }
}
