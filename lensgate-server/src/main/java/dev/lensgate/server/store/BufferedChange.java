package dev.lensgate.server.store;

/**
 * One change accepted by the ingest webhook and not yet applied.
 *
 * @param seq the buffer's order of acceptance
 * @param recordId the primary key value as the caller sent it (text)
 * @param delete whether the action is {@code delete} (else {@code upsert})
 */
public record BufferedChange(long seq, String recordId, boolean delete) {}
