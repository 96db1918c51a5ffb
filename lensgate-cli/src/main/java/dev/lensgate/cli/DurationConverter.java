package dev.lensgate.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses the short durations operators type: {@code 0}, {@code 45s}, {@code 30m}, {@code 1h},
 * {@code 7d}, or a sequence like {@code 1h30m}. Anything else is a usage error (exit 2).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}[smhd])+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value == null ? "" : value.strip();
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(v).matches()) {
      throw new CommandLine.TypeConversionException(
          "expected a duration like 30m, 1h, 7d or 1h30m (units s, m, h, d)");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "s":
          total = total.plusSeconds(n);
          break;
        case "m":
          total = total.plusMinutes(n);
          break;
        case "h":
          total = total.plusHours(n);
          break;
        default:
          total = total.plusDays(n);
          break;
      }
    }
    return total;
  }

  /** The short form of {@code d} for messages, e.g. {@code 1h30m}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      sb.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      sb.append(d.toSecondsPart()).append('s');
    }
    return sb.toString();
  }
}
