package dev.lensgate.server.stream;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The hash key of a stored value for the hub's equality index: two values get equal keys exactly
 * when {@code FieldValues.compare} (what {@code InMemoryPredicate} uses for {@code $eq}) calls
 * them equal. Numbers compare numerically there, so {@code 5L}, {@code 5.0} and {@code 5.00} as
 * {@link BigDecimal} share the key {@code 5L}; other normalized types already have an
 * {@code equals} that agrees with their order.
 *
 * <p>A value the predicate cannot compare ({@code Double}, unknown types) has no key: a
 * registration requiring it is tested against every event instead, and a row holding it is looked
 * up in no bucket (the predicate could not select it by equality anyway).
 */
final class EqualityKey {
  private EqualityKey() {}

  /** The key of {@code value}, or null when it has none (null, or not a comparable normalized value). */
  static Object of(Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Boolean
        || value instanceof Instant || value instanceof LocalDate) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal) {
      return decimal((BigDecimal) value);
    }
    return null;
  }

  private static Object decimal(BigDecimal d) {
    // stripTrailingZeros gives one representation per numeric value (zero handled explicitly).
    BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
      try {
        return stripped.longValueExact();
      } catch (ArithmeticException e) {
        return stripped; // beyond long: the stripped decimal is its own key
      }
    }
    return stripped;
  }
}
