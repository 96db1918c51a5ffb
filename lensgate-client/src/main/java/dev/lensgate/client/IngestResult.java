package dev.lensgate.client;

import java.util.Optional;
import java.util.OptionalLong;

/** The 202 answer of {@code ingest}: the job was queued, or an identical one was already waiting. */
public final class IngestResult {

  /** {@code queued}: a new job; {@code deduplicated}: an identical job was already queued. */
  public enum Status { QUEUED, DEDUPLICATED }

  private final String jobId;
  private final Status status;
  private final Long changesBuffered;
  private final String requestId;

  IngestResult(String jobId, Status status, Long changesBuffered, String requestId) {
    this.jobId = jobId;
    this.status = status;
    this.changesBuffered = changesBuffered;
    this.requestId = requestId;
  }

  /** The job to look for in the ledger. */
  public String jobId() {
    return jobId;
  }

  public Status status() {
    return status;
  }

  /** Changes held for the job, when the gateway reports it. */
  public OptionalLong changesBuffered() {
    return changesBuffered == null ? OptionalLong.empty() : OptionalLong.of(changesBuffered);
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Override
  public String toString() {
    return "IngestResult[jobId=" + jobId + ", status=" + status + "]";
  }
}
