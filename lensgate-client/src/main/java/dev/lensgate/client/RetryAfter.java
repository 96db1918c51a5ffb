package dev.lensgate.client;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads {@code Retry-After}: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
final class RetryAfter {
  private RetryAfter() {}

  /** The wait, never negative; null when absent or unreadable (a bad header is not an error). */
  static Duration parse(String header, Clock clock) {
    if (header == null) {
      return null;
    }
    String v = header.trim();
    if (!v.isEmpty() && v.length() <= 12 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
