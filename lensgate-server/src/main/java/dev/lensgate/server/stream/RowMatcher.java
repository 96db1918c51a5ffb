package dev.lensgate.server.stream;

import java.util.Map;
import java.util.Optional;

/**
 * What one subscriber may see of a lens: its rule filter AND its own {@code where} (AND the record
 * id, for observe), evaluated in memory on the stored row with the shared {@code where} semantics.
 * No database is read per subscriber per event.
 */
public interface RowMatcher {
  boolean matches(Map<String, Object> row);

  /**
   * A top-level equality this matcher requires ({@code field = value}, value as stored), if any; the
   * hub indexes subscriptions by it so an event is tested only against the subscriptions that can
   * match it, not against every subscription of the lens.
   */
  default Optional<Map.Entry<String, Object>> requiredEquality() {
    return Optional.empty();
  }
}
