package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.server.index.LensIndexWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The state and figures of one running sync of one lens (confined to the sync's thread). */
final class SyncRun {
  final String envId;
  final LensConfig lens;
  LensIndexWriter writer;
  Embedder embedder;
  long rowsRead;
  long upserted;
  long deleted;
  long embedded;
  long reusedVectors;
  Optional<String> cursor = Optional.empty();
  private Object cursorValue;

SyncRun(String envId, LensConfig lens) {
    this.envId = envId;
    this.lens = lens;
  }

  /** Advances the cursor to the greatest non-null change-tracking value of {@code rows}; true if it moved. */
  boolean trackCursor(List<Map<String, Object>> rows) {
    Optional<String> field = lens.index().changeTrackingField();
    if (field.isEmpty()) {
      return false;
    }
    boolean moved = false;
    for (Map<String, Object> row : rows) {
      Object v = row.get(field.get());
      if (v != null && (cursorValue == null || FieldValues.compare(v, cursorValue) > 0)) {
        cursorValue = v;
        moved = true;
      }
    }
    if (moved) {
      cursor = Optional.of(FieldValues.toText(cursorValue));
    }
    return moved;
  }
}
