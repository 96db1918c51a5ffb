package dev.lensgate.client;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns caller-supplied filter values into a closed, immutable JSON model: {@code null}, String,
 * Boolean, Long, Double, BigInteger, BigDecimal, unmodifiable List and unmodifiable Map with String
 * keys. Doing it once, at construction, keeps filters immutable and makes an unsupported value
 * fail where it was written rather than at send time.
 */
final class JsonValues {
  /** Deeper than any sane filter; stops a self-referencing collection from overflowing the stack. */
  static final int MAX_DEPTH = 64;

  private JsonValues() {}

  static Object normalize(Object value) {
    return normalize(value, 0);
  }

  private static Object normalize(Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("filter value nested deeper than " + MAX_DEPTH);
    }
    if (value == null || value instanceof String || value instanceof Boolean
        || value instanceof Long || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("NaN and infinite numbers have no JSON form");
      }
      return d;
    }
    if (value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Character || value instanceof UUID || value instanceof TemporalAccessor) {
      // ISO-8601 text for java.time values: the form the gateway parses for date/time fields.
      return value.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object item : c) {
        out.add(normalize(item, depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    if (value.getClass().isArray()) {
      int n = Array.getLength(value);
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(normalize(Array.get(value, i), depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Map<?, ?> m) {
      return normalizeMap(m, depth);
    }
    throw new IllegalArgumentException(
        "unsupported filter value type " + value.getClass().getName()
            + "; use String, Number, Boolean, java.time, UUID, enum, Collection, array or Map");
  }

  static Map<String, Object> normalizeMap(Map<?, ?> map, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("filter object keys must be strings");
      }
      out.put(key, normalize(e.getValue(), depth + 1));
    }
    return Collections.unmodifiableMap(out);
  }
}
