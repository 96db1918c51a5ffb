package dev.lensgate.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Locale;

/** The conversions behind the type-changing transforms; each is total (see {@link Transform}). */
final class Values {
  /** Longer numeric text is not parsed: BigDecimal parsing is superlinear in its length. */
  private static final int MAX_NUMBER_TEXT = 400;
  private static final long MIN_EPOCH_MILLIS = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
  private static final long MAX_EPOCH_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  private Values() {}

  static Object toText(Object v) {
    if (v == null || v instanceof String) {
      return v;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? plain(BigDecimal.valueOf(d)) : String.valueOf(d);
    }
    if (v instanceof BigDecimal) {
      return plain((BigDecimal) v);
    }
    if (v instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) v);
    }
    if (v instanceof java.util.Date || v instanceof TemporalAccessor) {
      Object date = toDate(v);
      return date != null ? date : String.valueOf(v);
    }
    return String.valueOf(v);
  }

  private static String plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }

  static Object toNumber(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Long || v instanceof Double || v instanceof BigDecimal || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float) {
      float f = (Float) v;
      return Float.isFinite(f) ? (Object) (double) f : null;
    }
    if (v instanceof Boolean) {
      return ((Boolean) v) ? 1L : 0L;
    }
    if (!(v instanceof String)) {
      return null;
    }
    String s = ((String) v).strip();
    if (s.isEmpty() || s.length() > MAX_NUMBER_TEXT) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(s);
      boolean writtenAsInteger = s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
      if (writtenAsInteger && d.scale() == 0 && d.unscaledValue().bitLength() < 64) {
        return d.longValueExact();
      }
      double dbl = d.doubleValue();
      return Double.isFinite(dbl) ? dbl : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Object toBoolean(Object v) {
    if (v == null || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue() != 0.0;
    }
    if (!(v instanceof String)) {
      return null;
    }
    switch (((String) v).strip().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "y": case "on": case "t": case "1":
        return Boolean.TRUE;
      case "false": case "no": case "n": case "off": case "f": case "0":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  static Object toDate(Object v) {
    try {
      if (v == null) {
        return null;
      }
      if (v instanceof java.sql.Date) {
        return ((java.sql.Date) v).toLocalDate().toString();
      }
      if (v instanceof java.util.Date) {
        return Instant.ofEpochMilli(((java.util.Date) v).getTime()).toString();
      }
      if (v instanceof Instant) {
        return v.toString();
      }
      if (v instanceof OffsetDateTime) {
        return ((OffsetDateTime) v).toInstant().toString();
      }
      if (v instanceof ZonedDateTime) {
        return ((ZonedDateTime) v).toInstant().toString();
      }
      if (v instanceof LocalDateTime) {
        return ((LocalDateTime) v).toInstant(ZoneOffset.UTC).toString();
      }
      if (v instanceof LocalDate) {
        return v.toString();
      }
      if (v instanceof Long || v instanceof Integer) {
        long millis = ((Number) v).longValue();
        // Outside years 0000-9999 ISO-8601 needs a sign and most clients cannot parse it.
        return millis < MIN_EPOCH_MILLIS || millis > MAX_EPOCH_MILLIS ? null : Instant.ofEpochMilli(millis).toString();
      }
      if (v instanceof String) {
        return parseDate(((String) v).strip());
      }
      return null;
    } catch (DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  private static Object parseDate(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant().toString();
    } catch (DateTimeException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toString();
    } catch (DateTimeException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toString();
    } catch (DateTimeException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).toString();
    } catch (DateTimeException e) {
      return null;
    }
  }
}
