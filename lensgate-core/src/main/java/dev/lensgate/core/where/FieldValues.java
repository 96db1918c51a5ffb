package dev.lensgate.core.where;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one definition of field values shared by the parser, both compilers, rows and cursors.
 *
 * <p><b>Normalized values</b> (what filters, rows and keyset positions hold):
 * <ul>
 *   <li>STRING → {@link String}: at most {@value #MAX_STRING_CHARS} chars in filters, no U+0000
 *       (PostgreSQL cannot store it) and no unpaired surrogate (a JDBC driver would silently turn
 *       it into {@code ?} and match the wrong rows). Ordered by Unicode code point.</li>
 *   <li>INTEGER → {@link Long}.</li>
 *   <li>NUMBER → {@link BigDecimal}, compared numerically ({@code 1.5 == 1.50}). Filter values are
 *       bounded to {@value #MAX_NUMBER_SCALE} fractional and {@value #MAX_NUMBER_INTEGER_DIGITS}
 *       integer digits so every database compares them as exact decimals.</li>
 *   <li>BOOLEAN → {@link Boolean}, {@code false < true}.</li>
 *   <li>TIMESTAMP → {@link Instant}, years 0001–9999, at most microsecond precision (what the
 *       databases store; finer values would be rounded differently by each).</li>
 *   <li>DATE → {@link LocalDate}, years 0001–9999.</li>
 * </ul>
 *
 * <p><b>Wire coercion</b> ({@link #coerce}): STRING needs a JSON string; INTEGER a JSON integer, an
 * integral JSON number or a decimal-integer string; NUMBER a JSON number or a decimal string;
 * BOOLEAN a JSON boolean; TIMESTAMP an ISO-8601 string with an offset
 * ({@code 2024-05-01T10:00:00Z}); DATE an ISO-8601 date ({@code 2024-05-01}). Anything else is
 * {@code 400 invalid_request}.
 */
public final class FieldValues {
  public static final int MAX_STRING_CHARS = 4096;
  public static final int MAX_NUMBER_SCALE = 30;
  public static final int MAX_NUMBER_INTEGER_DIGITS = 35;


  private FieldValues() {}

  /**
   * Coerces a non-null JSON value to the normalized type of {@code field} (rules above).
   *
   * @throws LensgateException {@code INVALID_REQUEST} naming the field (never echoing the value)
   */
  public static Object coerce(JsonNode value, LensField field) {
    return WireValues.coerce(value, field);
  }

  /** Returns {@code value} if it is a non-null normalized value, else throws IllegalArgumentException. */
  static Object requireNormalized(Object value) {
    if (value instanceof String || value instanceof Long || value instanceof BigDecimal
        || value instanceof Boolean || value instanceof Instant || value instanceof LocalDate) {
      return value;
    }
    throw new IllegalArgumentException(value == null
        ? "filter values are never null; use Exists"
        : "not a normalized value type: " + value.getClass().getName());
  }

  /** The normalized type that holds values of {@code type}. */
  public static Class<?> javaType(FieldType type) {
    switch (type) {
      case STRING: return String.class;
      case INTEGER: return Long.class;
      case NUMBER: return BigDecimal.class;
      case BOOLEAN: return Boolean.class;
      case TIMESTAMP: return Instant.class;
      case DATE: return LocalDate.class;
      default: throw new IllegalStateException("unhandled type " + type);
    }
  }

  /**
   * A lossless text form of a normalized value (decimals keep their scale, instants are ISO-8601
   * UTC); the inverse of {@link #fromText}. Used in cursors and serialized read specs.
   */
  public static String toText(Object value) {
    requireNormalized(value);
    if (value instanceof Instant) {
      return DateTimeFormatter.ISO_INSTANT.format((Instant) value);
    }
    return value.toString();
  }

  /**
   * Parses {@link #toText} output back to a normalized value of {@code type}.
   *
   * @throws IllegalArgumentException if the text is not a valid value of that type
   */
  public static Object fromText(String text, FieldType type) {
    switch (type) {
      case STRING:
        if (!WireValues.isStorableText(text)) {
          throw new IllegalArgumentException("not storable text");
        }
        return text;
      case INTEGER:
        if (!WireValues.INTEGER_TEXT.matcher(text).matches()) {
          throw new IllegalArgumentException("not an integer");
        }
        return Long.parseLong(text);
      case NUMBER:
        if (text.length() > 200 || !WireValues.DECIMAL_TEXT.matcher(text).matches()) {
          throw new IllegalArgumentException("not a number");
        }
        return new BigDecimal(text);
      case BOOLEAN:
        if ("true".equals(text)) {
          return Boolean.TRUE;
        }
        if ("false".equals(text)) {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean");
      case TIMESTAMP:
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not an instant", e);
        }
      case DATE:
        try {
          return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not a date", e);
        }
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  /**
   * The JSON a client sees for a normalized value: numbers as JSON numbers, instants and dates as
   * ISO-8601 strings; {@code null} as JSON null.
   */
  public static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof String) {
      return f.textNode((String) value);
    }
    if (value instanceof Long) {
      return f.numberNode((Long) value);
    }
    if (value instanceof BigDecimal) {
      return f.numberNode((BigDecimal) value);
    }
    if (value instanceof Boolean) {
      return f.booleanNode((Boolean) value);
    }
    return f.textNode(toText(value));
  }

  /**
   * The total order both compilers use for non-null values of one type: strings by Unicode code
   * point (what PostgreSQL's "C" collation and MariaDB's binary collations do), numbers
   * numerically, {@code false < true}, instants and dates chronologically.
   *
   * @throws IllegalArgumentException if the two values are not of comparable normalized types
   */
  public static int compare(Object a, Object b) {
    if (a instanceof String && b instanceof String) {
      return compareCodePoints((String) a, (String) b);
    }
    if (a instanceof Long && b instanceof Long) {
      return Long.compare((Long) a, (Long) b);
    }
    if (a instanceof Number && b instanceof Number) {
      return toDecimal((Number) a).compareTo(toDecimal((Number) b));
    }
    if (a instanceof Boolean && b instanceof Boolean) {
      return Boolean.compare((Boolean) a, (Boolean) b);
    }
    if (a instanceof Instant && b instanceof Instant) {
      return ((Instant) a).compareTo((Instant) b);
    }
    if (a instanceof LocalDate && b instanceof LocalDate) {
      return ((LocalDate) a).compareTo((LocalDate) b);
    }
    throw new IllegalArgumentException("values of different types cannot be compared: "
        + typeName(a) + " and " + typeName(b));
  }

  private static String typeName(Object o) {
    return o == null ? "null" : o.getClass().getSimpleName();
  }

  private static BigDecimal toDecimal(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return BigDecimal.valueOf(n.longValue());
    }
    throw new IllegalArgumentException("not a normalized number: " + n.getClass().getSimpleName());
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** UTC offset used when a database has no time-zone-aware timestamp type (MariaDB DATETIME). */
  static ZoneOffset storageZone() {
    return ZoneOffset.UTC;
  }
}
