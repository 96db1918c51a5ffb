package dev.lensgate.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The short durations operators write in the config and on the command line: {@code 45s},
 * {@code 30m}, {@code 1h}, {@code 7d} or a sequence like {@code 1h30m}. One parser for both, so a
 * value means the same everywhere. Bounds and zero are the caller's rules.
 */
public final class ShortDuration {
  /** How the form reads in messages. */
  public static final String FORM = "a duration like 30s, 5m, 1h, 1d or 1h30m (units s, m, h, d)";
  private static final int MAX_CHARS = 40;
  private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}[smhd])+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");

  private ShortDuration() {}

  /** The duration {@code text} (already stripped) writes, or empty when it is not of the form. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.length() > MAX_CHARS || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
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
    return Optional.of(total);
  }

  /** The short form of {@code d}, e.g. {@code 1h30m}; {@code zero} for a zero duration. */
  public static String format(Duration d, String zero) {
    if (d.isZero()) {
      return zero;
    }
    StringBuilder sb = new StringBuilder();
    if (d.toDays() > 0) {
      sb.append(d.toDays()).append('d');
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
