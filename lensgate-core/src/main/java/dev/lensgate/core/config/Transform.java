package dev.lensgate.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Objects;

/**
 * One step of a field's transform chain, applied to a value read from the source before it is
 * shaped into a result. Every step is total: it never throws, returns {@code null} for input it
 * cannot convert (documented per step), and leaves values of types it does not handle unchanged.
 * {@code null} passes through every step except {@link Default}.
 */
public sealed interface Transform
    permits Transform.Trim, Transform.Lowercase, Transform.Uppercase, Transform.Truncate, Transform.Replace,
        Transform.ToText, Transform.ToNumber, Transform.ToBoolean, Transform.ToDate, Transform.Round,
        Transform.Default {

  Object apply(Object value);

  /** The name used in the config. */
  String wireName();

  /** {@code trim}: strips leading and trailing whitespace of strings. */
  record Trim() implements Transform {
    public Object apply(Object v) { return v instanceof String ? ((String) v).strip() : v; }
    public String wireName() { return "trim"; }
  }

  /** {@code lowercase} (locale-independent). */
  record Lowercase() implements Transform {
    public Object apply(Object v) { return v instanceof String ? ((String) v).toLowerCase(Locale.ROOT) : v; }
    public String wireName() { return "lowercase"; }
  }

  /** {@code uppercase} (locale-independent). */
  record Uppercase() implements Transform {
    public Object apply(Object v) { return v instanceof String ? ((String) v).toUpperCase(Locale.ROOT) : v; }
    public String wireName() { return "uppercase"; }
  }

  /** {@code truncate: n}: keeps the first n characters (code points, never half a surrogate pair). */
  record Truncate(int maxLength) implements Transform {
    public Truncate {
      if (maxLength < 1) {
        throw new IllegalArgumentException("truncate length must be at least 1");
      }
    }

    public Object apply(Object v) {
      if (!(v instanceof String)) {
        return v;
      }
      String s = (String) v;
      if (s.length() <= maxLength) {
        return s;
      }
      int cps = s.codePointCount(0, s.length());
      return cps <= maxLength ? s : s.substring(0, s.offsetByCodePoints(0, maxLength));
    }

    public String wireName() { return "truncate"; }
  }

  /** {@code replace: {from, to}}: replaces every literal occurrence (no regular expressions). */
  record Replace(String from, String to) implements Transform {
    public Replace {
      Objects.requireNonNull(to, "to");
      if (from == null || from.isEmpty()) {
        throw new IllegalArgumentException("replace needs a non-empty 'from'");
      }
    }

    public Object apply(Object v) { return v instanceof String ? ((String) v).replace(from, to) : v; }
    public String wireName() { return "replace"; }
  }

  /**
   * {@code toString}: any value as text. Numbers in plain decimal notation without trailing zeros
   * ({@code 2.50} → {@code "2.5"}, {@code 1e3} → {@code "1000"}), dates and times ISO-8601,
   * bytes as base64.
   */
  record ToText() implements Transform {
    public Object apply(Object v) { return Values.toText(v); }
    public String wireName() { return "toString"; }
  }

  /**
   * {@code toNumber}: numeric text (surrounding whitespace allowed) to a {@code Long} when it is a
   * whole number that fits, otherwise a {@code Double}; booleans to 1/0. Text that is not a
   * number, and NaN or infinities, become {@code null}.
   */
  record ToNumber() implements Transform {
    public Object apply(Object v) { return Values.toNumber(v); }
    public String wireName() { return "toNumber"; }
  }

  /**
   * {@code toBoolean}: {@code true/yes/y/on/t/1} and {@code false/no/n/off/f/0} (any case,
   * trimmed) to booleans, numbers to {@code != 0}; any other text becomes {@code null}.
   */
  record ToBoolean() implements Transform {
    public Object apply(Object v) { return Values.toBoolean(v); }
    public String wireName() { return "toBoolean"; }
  }

  /**
   * {@code toDate}: to ISO-8601 text. Instants and zoned values become UTC instants
   * ({@code 2024-05-01T10:00:00Z}), dates stay dates ({@code 2024-05-01}), local date-times are
   * read as UTC, numbers are epoch milliseconds (years 0000-9999). Unparseable text becomes {@code null}.
   */
  record ToDate() implements Transform {
    public Object apply(Object v) { return Values.toDate(v); }
    public String wireName() { return "toDate"; }
  }

  /**
   * {@code round: n}: rounds numbers half-up to n decimal places (0..15), keeping the number's
   * kind ({@code Double} stays {@code Double}); numeric text is left as text.
   */
  record Round(int scale) implements Transform {
    public static final int MAX_SCALE = 15;

    public Round {
      if (scale < 0 || scale > MAX_SCALE) {
        throw new IllegalArgumentException("round scale must be 0.." + MAX_SCALE);
      }
    }

    public Object apply(Object v) {
      if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(scale, RoundingMode.HALF_UP).doubleValue() : v;
      }
      if (v instanceof BigDecimal) {
        return ((BigDecimal) v).setScale(scale, RoundingMode.HALF_UP);
      }
      return v; // integers are already round; other types are left alone
    }

    public String wireName() { return "round"; }
  }

  /** {@code default: value}: replaces {@code null} with the value. */
  record Default(Object value) implements Transform {
    public Default {
      Objects.requireNonNull(value, "value");
      if (!(value instanceof String || value instanceof Long || value instanceof Double
          || value instanceof Boolean || value instanceof BigInteger)) {
        throw new IllegalArgumentException("default must be a string, number or boolean");
      }
    }

    public Object apply(Object v) { return v == null ? value : v; }
    public String wireName() { return "default"; }
  }
}
