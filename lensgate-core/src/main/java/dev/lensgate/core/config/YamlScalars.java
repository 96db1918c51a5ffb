package dev.lensgate.core.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Typed reads of scalar and sequence nodes; each reports a wrong shape instead of throwing. */
final class YamlScalars {
  private YamlScalars() {}

  static boolean isNull(Node n) {
    return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
  }

  static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(n)) {
      return "nothing";
    }
    if (n instanceof ScalarNode) {
      Tag t = n.getTag();
      if (Tag.BOOL.equals(t)) {
        return "a boolean";
      }
      if (Tag.INT.equals(t) || Tag.FLOAT.equals(t)) {
        return "a number";
      }
      return "a string";
    }
    return "an unsupported value";
  }

  /** Any non-empty scalar as text (numbers too: {@code audience: 12345} is meant as text). */
  static Optional<String> string(Node n, String path, Problems problems) {
    if (!(n instanceof ScalarNode) || isNull(n)) {
      problems.error(n, path, "expected a string, found " + describe(n));
      return Optional.empty();
    }
    String v = ((ScalarNode) n).getValue();
    if (v.isBlank()) {
      problems.error(n, path, "must not be empty");
      return Optional.empty();
    }
    return Optional.of(v);
  }

  static Optional<Boolean> bool(Node n, String path, Problems problems) {
    if (!(n instanceof ScalarNode) || !Tag.BOOL.equals(n.getTag())) {
      problems.error(n, path, "expected true or false, found " + describe(n));
      return Optional.empty();
    }
    return Optional.of(Boolean.parseBoolean(((ScalarNode) n).getValue().toLowerCase(java.util.Locale.ROOT)));
  }

  /** An integer in {@code [min, max]}. */
  static Optional<Integer> integer(Node n, String path, Problems problems, int min, int max) {
    if (!(n instanceof ScalarNode) || !Tag.INT.equals(n.getTag())) {
      problems.error(n, path, "expected a whole number, found " + describe(n));
      return Optional.empty();
    }
    try {
      BigInteger v = new BigInteger(((ScalarNode) n).getValue().replace("_", ""));
      if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
        problems.error(n, path, "must be between " + min + " and " + max);
        return Optional.empty();
      }
      return Optional.of(v.intValue());
    } catch (NumberFormatException e) {
      problems.error(n, path, "expected a whole number");
      return Optional.empty();
    }
  }

  /**
   * A scalar as a typed value: {@code String}, {@code Long}, {@code Double} or {@code Boolean};
   * {@code null} and collections are reported.
   */
  static Optional<Object> value(Node n, String path, Problems problems) {
    if (!(n instanceof ScalarNode) || isNull(n)) {
      problems.error(n, path, "expected a string, number or boolean, found " + describe(n));
      return Optional.empty();
    }
    String v = ((ScalarNode) n).getValue();
    Tag t = n.getTag();
    try {
      if (Tag.INT.equals(t)) {
        return Optional.of(Long.parseLong(v));
      }
      if (Tag.FLOAT.equals(t)) {
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d)) {
          problems.error(n, path, "must be a finite number");
          return Optional.empty();
        }
        return Optional.of(d);
      }
    } catch (NumberFormatException e) {
      problems.error(n, path, "number out of range");
      return Optional.empty();
    }
    if (Tag.BOOL.equals(t)) {
      return Optional.of(Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT)));
    }
    return Optional.of(v);
  }

  /** A list of strings; a single string is not accepted, so {@code runners: edge-1} is caught. */
  static Optional<List<String>> stringList(Node n, String path, Problems problems) {
    if (!(n instanceof SequenceNode)) {
      problems.error(n, path, "expected a list, found " + describe(n));
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    boolean ok = true;
    List<Node> items = ((SequenceNode) n).getValue();
    for (int i = 0; i < items.size(); i++) {
      Optional<String> s = string(items.get(i), path + "[" + i + "]", problems);
      if (s.isPresent()) {
        out.add(s.get());
      } else {
        ok = false;
      }
    }
    return ok ? Optional.of(out) : Optional.empty();
  }
}
