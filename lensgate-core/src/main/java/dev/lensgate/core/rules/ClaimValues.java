package dev.lensgate.core.rules;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts verified claims to the value types CEL's runtime understands: int as {@code Long},
 * double as {@code Double}, {@code null} as CEL's null (a Java null would read as "unknown"),
 * dates as epoch seconds (what JWT numeric dates mean). Unknown types and over-deep nesting are
 * dropped, so a rule sees "no such claim" rather than a runtime error.
 *
 * <p>Object keys starting with {@code $} are dropped too: a rule like
 * {@code {'filter': {'orgId': claims.orgId}}} means equality, and a claim shaped like
 * {@code {"$ne": "x"}} must not turn it into a where operator that widens the row filter.
 */
final class ClaimValues {
  private static final int MAX_DEPTH = 16;
  private static final Object DROP = new Object();

  private ClaimValues() {}

  static Map<String, Object> toCel(Map<String, ?> claims) {
    Map<String, Object> out = new LinkedHashMap<>(Math.max(4, claims.size() * 2));
    copyMap(claims, out, 0);
    return out;
  }

  private static void copyMap(Map<?, ?> in, Map<String, Object> out, int depth) {
    for (Map.Entry<?, ?> e : in.entrySet()) {
      if (!(e.getKey() instanceof String) || ((String) e.getKey()).startsWith("$")) {
        continue;
      }
      Object v = convert(e.getValue(), depth + 1);
      if (v != DROP) {
        out.put((String) e.getKey(), v);
      }
    }
  }

  private static Object convert(Object v, int depth) {
    if (depth > MAX_DEPTH) {
      return DROP;
    }
    if (v == null) {
      return NullValue.NULL_VALUE;
    }
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float) {
      return ((Float) v).doubleValue();
    }
    if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).doubleValue();
    }
    if (v instanceof Date) {
      return ((Date) v).getTime() / 1000L;
    }
    if (v instanceof Instant) {
      return ((Instant) v).getEpochSecond();
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      copyMap((Map<?, ?>) v, m, depth);
      return m;
    }
    if (v instanceof Collection) {
      List<Object> list = new ArrayList<>(((Collection<?>) v).size());
      for (Object item : (Collection<?>) v) {
        Object c = convert(item, depth + 1);
        if (c != DROP) {
          list.add(c);
        }
      }
      return list;
    }
    return DROP;
  }
}
