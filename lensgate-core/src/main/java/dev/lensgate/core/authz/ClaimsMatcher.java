package dev.lensgate.core.authz;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code claims} check of a grant: every listed claim must be present and equal one of its
 * accepted values; for an array claim, one of its elements must. Numbers compare by value
 * ({@code 3} equals {@code 3.0}); strings and booleans compare exactly; there is no coercion between
 * kinds ({@code "3"} is not {@code 3}).
 */
final class ClaimsMatcher {
  private ClaimsMatcher() {}

  static boolean matches(Map<String, List<Object>> required, Map<String, Object> claims) {
    for (Map.Entry<String, List<Object>> e : required.entrySet()) {
      if (!matchesOne(claims.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesOne(Object claim, List<Object> accepted) {
    if (claim instanceof Collection) {
      for (Object element : (Collection<?>) claim) {
        if (isAccepted(element, accepted)) {
          return true;
        }
      }
      return false;
    }
    return isAccepted(claim, accepted);
  }

  private static boolean isAccepted(Object value, List<Object> accepted) {
    if (value == null) {
      return false;
    }
    for (Object a : accepted) {
      if (same(a, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      BigDecimal x = decimal((Number) a);
      BigDecimal y = decimal((Number) b);
      return x != null && y != null && x.compareTo(y) == 0;
    }
    return (a instanceof String || a instanceof Boolean) && a.equals(b);
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
    if (n instanceof java.math.BigInteger) {
      return new BigDecimal((java.math.BigInteger) n);
    }
    return BigDecimal.valueOf(n.longValue());
  }
}
