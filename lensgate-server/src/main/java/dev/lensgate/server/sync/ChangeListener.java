package dev.lensgate.server.sync;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Told about every document a sync actually changed (an unchanged content hash is no change), after
 * the change was committed to the index. Live streams consume it. Called on the sync's worker
 * thread, in commit order per lens; implementations must be quick and must not throw (a throw is
 * logged and ignored).
 */
@FunctionalInterface
public interface ChangeListener {
  /** Does nothing. */
  ChangeListener NONE = event -> { };

  void changed(ChangeEvent event);

  /**
   * One applied change. Both rows hold the lens's declared fields only (as stored in the index,
   * unshaped). {@code before} is what subscribers could see until now: a stream tells a subscriber
   * about a delete, or a row leaving its filter, only if {@code before} passed that subscriber's
   * filter.
   *
   * @param id the primary key value as text
   * @param before the previously indexed row; empty for an insert
   * @param after the new row; empty for a delete
   */
  record ChangeEvent(String envId, String lens, Kind kind, String id,
      Optional<Map<String, Object>> before, Optional<Map<String, Object>> after) {
    public enum Kind { INSERT, UPDATE, DELETE }

    public ChangeEvent {
      Objects.requireNonNull(envId, "envId");
      Objects.requireNonNull(lens, "lens");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if ((kind == Kind.INSERT) != before.isEmpty() || (kind == Kind.DELETE) != after.isEmpty()) {
        throw new IllegalArgumentException(kind + " with before=" + before.isPresent() + " after=" + after.isPresent());
      }
    }

    /** An upsert: an insert when nothing was indexed under the id, else an update. */
    public static ChangeEvent upsert(String envId, String lens, String id, Optional<Map<String, Object>> before,
        Map<String, Object> after) {
      return new ChangeEvent(envId, lens, before.isPresent() ? Kind.UPDATE : Kind.INSERT, id, before, Optional.of(after));
    }

    public static ChangeEvent delete(String envId, String lens, String id, Map<String, Object> before) {
      return new ChangeEvent(envId, lens, Kind.DELETE, id, Optional.of(before), Optional.empty());
    }
  }
}
