package dev.lensgate.core.config;

import java.time.Duration;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Durations in the config, written like the CLI's: {@code 45s}, {@code 5m}, {@code 1h},
 * {@code 7d} or a sequence like {@code 1h30m}. A bare number is refused (seconds or minutes?), as
 * are zero and negative values.
 */
final class Durations {
  private static final String FORM = ShortDuration.FORM;

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
    Optional<Duration> parsed = ShortDuration.parse(v);
    if (parsed.isEmpty()) {
      problems.error(n, path, "expected " + FORM);
      return Optional.empty();
    }
    Duration total = parsed.get();
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
    return ShortDuration.format(d, "0s");
  }
}
