package dev.lensgate.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The stored state of one lens's index in one environment, as {@code lensgate status} shows it.
 *
 * @param state the lifecycle state; {@link IndexState#PAUSED} whenever {@code paused} is set and no
 *     sync is running
 * @param paused whether scheduled and ingest syncs wait for {@code lensgate sync} / {@code push --resume-ingest}
 * @param documents documents in the index after the last sync
 * @param pendingChanges ingest changes buffered and not yet applied
 * @param rowsPerSecond source rows processed per second by the last sync
 * @param progressDone rows processed by the running (or last) sync
 * @param progressTotal rows the running (or last) sync expects, 0 when unknown
 * @param cursor the incremental cursor: the change-tracking field's last value, as
 *     {@link dev.lensgate.core.where.FieldValues#toText} text
 * @param lastErrorCode the stable code of the last failure (never row values)
 */
public record LensIndexStatus(String envId, String lens, IndexState state, boolean paused, long documents,
    long pendingChanges, long rowsPerSecond, long progressDone, long progressTotal, Optional<Instant> lastSyncAt,
    Optional<Instant> lastSmartSyncAt, Optional<String> lastErrorCode, Optional<String> lastErrorMessage,
    Optional<String> cursor, Optional<String> embedderId) {}
