package dev.lensgate.core.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Durations in the config, written like the CLI's: {@code 45s}, {@code 5m}, {@code 1h},
 * {@code 7d} or a sequence like {@code 1h30m}. A bare number is refused (seconds or minutes?), as
 * are zero and negative values.
 */
final class Durations {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}[smhd])+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");
  private static final String FORM = "a duration like 30s, 5m, 1h, 1d or 1h30m (units s, m, h, d)";

  private Durations() {}

  /** A duration in {@code [min, max]}, or a problem at {@code n}. */
  static Optional<Duration> read(Node n, String path, Problems problems, Duration min, Duration max) {
    if (!(n instanceof ScalarNode) || YamlScalars.isNull(n)) {
      problems.error(n, path, "expected " + FORM + ", found " + YamlScalars.describe(n));
      return Optional.empty();
    }
    String v = ((ScalarNode) n).getValue().strip();
    if (Tag.INT.equals(n.getTag()) || Tag.FLOAT.equals(n.getTag())) {
      if (v.startsWith("-") || v.matches("[+]?0+(\\.0*)?")) {
        problems.error(n, path, "must be a positive duration (at least " + format(min) + ")");
      } else {
        problems.error(n, path, "a bare number has no unit: write " + FORM);
      }
      return Optional.empty();
    }
    if (v.isEmpty()) {
      problems.error(n, path, "must not be empty");
      return Optional.empty();
    }
    if (v.startsWith("-")) {
      problems.error(n, path, "must be a positive duration (at least " + format(min) + ")");
      return Optional.empty();
    }
    if (v.length() > 40 || !WHOLE.matcher(v).matches()) {
      problems.error(n, path, "expected " + FORM);
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      long k = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "s":
          total = total.plusSeconds(k);
          break;
        case "m":
          total = total.plusMinutes(k);
          break;
        case "h":
          total = total.plusHours(k);
          break;
        default:
          total = total.plusDays(k);
          break;
      }
    }
    if (total.isZero()) {
      problems.error(n, path, "must be a positive duration (at least " + format(min) + ")");
      return Optional.empty();
    }
    if (total.compareTo(min) < 0 || total.compareTo(max) > 0) {
      problems.error(n, path, "must be between " + format(min) + " and " + format(max));
      return Optional.empty();
    }
    return Optional.of(total);
  }

  /** The short form, e.g. {@code 1h30m}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
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
