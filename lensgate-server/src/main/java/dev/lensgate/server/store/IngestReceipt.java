package dev.lensgate.server.store;

/**
 * What the ingest webhook answers once its changes are committed.
 *
 * @param status {@code queued} or {@code deduplicated}
 * @param changesBuffered changes written by this request (0 for full/incremental)
 */
public record IngestReceipt(String jobId, String status, int changesBuffered) {
  public static final String QUEUED = "queued";
  public static final String DEDUPLICATED = "deduplicated";
}
