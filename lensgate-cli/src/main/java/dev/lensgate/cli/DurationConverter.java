package dev.lensgate.cli;

import dev.lensgate.core.config.ShortDuration;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Parses the short durations operators type: {@code 0}, {@code 45s}, {@code 30m}, {@code 1h},
 * {@code 7d}, or a sequence like {@code 1h30m}. Anything else is a usage error (exit 2).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value == null ? "" : value.strip();
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    return ShortDuration.parse(v).orElseThrow(() -> new CommandLine.TypeConversionException(
        "expected a duration like 30m, 1h, 7d or 1h30m (units s, m, h, d)"));
  }

  /** The short form of {@code d} for messages, e.g. {@code 1h30m}. */
  static String format(Duration d) {
    return ShortDuration.format(d, "0");
  }
}
