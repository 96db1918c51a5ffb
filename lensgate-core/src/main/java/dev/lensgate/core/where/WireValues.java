package dev.lensgate.core.where;

import static dev.lensgate.core.where.FieldValues.MAX_NUMBER_INTEGER_DIGITS;
import static dev.lensgate.core.where.FieldValues.MAX_NUMBER_SCALE;
import static dev.lensgate.core.where.FieldValues.MAX_STRING_CHARS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Client JSON values → normalized values, with the bounds documented on {@link FieldValues}.
 * Every rejection is {@code invalid_request} naming the field, never echoing the value.
 */
final class WireValues {
  static final Pattern INTEGER_TEXT = Pattern.compile("-?[0-9]{1,19}");
  static final Pattern DECIMAL_TEXT =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]{1,4})?");
  private static final int MAX_NUMBER_TEXT = 100;
  private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");
  private static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
  private static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

  private WireValues() {}

  /**
   * Coerces a non-null JSON value to the normalized type of {@code field}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} naming the field (never echoing the value)
   */
  static Object coerce(JsonNode value, LensField field) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw invalid(field, "a non-null value");
    }
    switch (field.type()) {
      case STRING:
        if (!value.isTextual()) {
          throw invalid(field, "a string");
        }
        return checkedString(value.textValue(), field);
      case INTEGER:
        return coerceInteger(value, field);
      case NUMBER:
        return coerceNumber(value, field);
      case BOOLEAN:
        if (!value.isBoolean()) {
          throw invalid(field, "a boolean");
        }
        return value.booleanValue();
      case TIMESTAMP:
        if (!value.isTextual()) {
          throw invalid(field, "an ISO-8601 timestamp string with offset");
        }
        return parseInstant(value.textValue()).orElseThrow(() -> invalid(field,
            "an ISO-8601 timestamp with offset, years 0001-9999, at most microsecond precision"));
      case DATE:
        if (!value.isTextual()) {
          throw invalid(field, "an ISO-8601 date string");
        }
        return parseDate(value.textValue()).orElseThrow(() -> invalid(field, "an ISO-8601 date, years 0001-9999"));
      default:
        throw new IllegalStateException("unhandled type " + field.type());
    }
  }

  /** Checks a string filter value (length, NUL, unpaired surrogates). */
  static String checkedString(String s, LensField field) {
    if (s.length() > MAX_STRING_CHARS) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST,
          "value for field '" + field.name() + "' is longer than " + MAX_STRING_CHARS + " characters");
    }
    if (!isStorableText(s)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST,
          "value for field '" + field.name() + "' contains U+0000 or an unpaired surrogate");
    }
    return s;
  }

  /** True if every database can store and compare {@code s} exactly. */
  static boolean isStorableText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static Long coerceInteger(JsonNode value, LensField field) {
    if (value.isIntegralNumber()) {
      if (!value.canConvertToLong()) {
        throw invalid(field, "an integer within the 64-bit range");
      }
      return value.longValue();
    }
    if (value.isNumber()) {
      if (value.isDouble() || value.isFloat()) {
        double d = value.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw invalid(field, "an integer");
        }
      }
      try {
        return value.decimalValue().longValueExact();
      } catch (ArithmeticException e) {
        throw invalid(field, "an integer");
      }
    }
    if (value.isTextual() && INTEGER_TEXT.matcher(value.textValue()).matches()) {
      try {
        return Long.parseLong(value.textValue());
      } catch (NumberFormatException e) {
        throw invalid(field, "an integer within the 64-bit range");
      }
    }
    throw invalid(field, "an integer");
  }

  private static BigDecimal coerceNumber(JsonNode value, LensField field) {
    BigDecimal d;
    if (value.isNumber()) {
      if (value.isDouble() || value.isFloat()) {
        double x = value.doubleValue();
        if (Double.isNaN(x) || Double.isInfinite(x)) {
          throw invalid(field, "a finite number");
        }
      }
      d = value.decimalValue();
    } else if (value.isTextual()) {
      String text = value.textValue();
      if (text.length() > MAX_NUMBER_TEXT || !DECIMAL_TEXT.matcher(text).matches()) {
        throw invalid(field, "a number");
      }
      d = new BigDecimal(text);
    } else {
      throw invalid(field, "a number");
    }
    return boundedDecimal(d).orElseThrow(() -> invalid(field,
        "a number with at most " + MAX_NUMBER_INTEGER_DIGITS + " integer and " + MAX_NUMBER_SCALE + " fractional digits"));
  }

  private static java.util.Optional<BigDecimal> boundedDecimal(BigDecimal d) {
    BigDecimal n = d.scale() < 0 ? d.setScale(0) : d;
    if (n.scale() > MAX_NUMBER_SCALE) {
      BigDecimal stripped = n.stripTrailingZeros();
      if (stripped.scale() > MAX_NUMBER_SCALE) {
        return java.util.Optional.empty();
      }
      n = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
    if (n.precision() - n.scale() > MAX_NUMBER_INTEGER_DIGITS) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(n);
  }

  private static java.util.Optional<Instant> parseInstant(String text) {
    if (text.length() > 64) {
      return java.util.Optional.empty();
    }
    Instant i;
    try {
      i = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, OffsetDateTime::from).toInstant();
    } catch (java.time.DateTimeException e) {
      return java.util.Optional.empty();
    }
    if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT) || i.getNano() % 1000 != 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(i);
  }

  private static java.util.Optional<LocalDate> parseDate(String text) {
    if (text.length() > 32) {
      return java.util.Optional.empty();
    }
    try {
      LocalDate d = LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
      if (d.isBefore(MIN_DATE) || d.isAfter(MAX_DATE)) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(d);
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }

  private static LensgateException invalid(LensField field, String expected) {
    return new LensgateException(ErrorCode.INVALID_REQUEST,
        "field '" + field.name() + "' expects " + expected);
  }
}
