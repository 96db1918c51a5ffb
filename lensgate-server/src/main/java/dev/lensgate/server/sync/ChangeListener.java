package dev.lensgate.server.sync;

import java.util.Map;
import java.util.Optional;

/**
 * Told about every document a sync actually changed (an unchanged content hash is no change), after
 * the change was committed to the index. The live-streams issue consumes it. Called on the sync's
 * worker thread; implementations must be quick and must not throw (a throw is logged and ignored).
 */
@FunctionalInterface
public interface ChangeListener {
  /** Does nothing. */
  ChangeListener NONE = event -> { };

  void changed(ChangeEvent event);

  /**
   * One applied change.
   *
   * @param id the primary key value as text
   * @param row the stored row (declared fields, unshaped) for an upsert; empty for a delete
   */
  record ChangeEvent(String envId, String lens, Kind kind, String id, Optional<Map<String, Object>> row) {
    public enum Kind { UPSERT, DELETE }
  }
}
