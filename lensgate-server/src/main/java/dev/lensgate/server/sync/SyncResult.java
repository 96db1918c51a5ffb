package dev.lensgate.server.sync;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.server.store.SyncMode;
import java.util.Optional;

/**
 * What one sync did.
 *
 * @param mode the mode that ran (a full rebuild when the embedder changed or the index was never built)
 * @param rowsRead source rows read
 * @param upserted documents written because their content hash changed (or all, in a full rebuild)
 * @param deleted documents removed (tombstones, deletes, rows gone from the source)
 * @param embedded texts sent to the embedder
 * @param error the failure's code; empty when the sync succeeded
 */
public record SyncResult(SyncMode mode, long rowsRead, long upserted, long deleted, long embedded,
    long rowsPerSecond, Optional<ErrorCode> error) {
  public boolean ok() {
    return error.isEmpty();
  }
}
