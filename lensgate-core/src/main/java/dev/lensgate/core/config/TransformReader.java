package dev.lensgate.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a field's {@code transforms} list. Items are a bare name ({@code trim}) or a one-key
 * mapping with the argument ({@code {truncate: 80}}, {@code {replace: {from: a, to: b}}}).
 */
final class TransformReader {
  static final Set<String> NO_ARGUMENT = Set.of("trim", "lowercase", "uppercase", "toString", "toNumber", "toBoolean", "toDate");
  static final Set<String> WITH_ARGUMENT = Set.of("truncate", "replace", "round", "default");
  private static final Set<String> ALL;
  private static final int MAX_TRUNCATE = 1_000_000;
  private static final int MAX_STEPS = 32;

  static {
    java.util.Set<String> all = new java.util.HashSet<>(NO_ARGUMENT);
    all.addAll(WITH_ARGUMENT);
    ALL = Set.copyOf(all);
  }

  private final Problems problems;

  TransformReader(Problems problems) {
    this.problems = problems;
  }

  Optional<FieldTransforms> read(Node node, String path) {
    if (!(node instanceof SequenceNode)) {
      problems.error(node, path, "expected a list of transforms, found " + YamlScalars.describe(node));
      return Optional.empty();
    }
    List<Node> items = ((SequenceNode) node).getValue();
    if (items.size() > MAX_STEPS) {
      problems.error(node, path, "at most " + MAX_STEPS + " transforms per field");
      return Optional.empty();
    }
    List<Transform> steps = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Optional<Transform> t = readOne(items.get(i), path + "[" + i + "]");
      if (t.isPresent()) {
        steps.add(t.get());
      } else {
        ok = false;
      }
    }
    return ok ? Optional.of(FieldTransforms.of(steps)) : Optional.empty();
  }

  private Optional<Transform> readOne(Node node, String path) {
    if (node instanceof ScalarNode && !YamlScalars.isNull(node)) {
      String name = ((ScalarNode) node).getValue();
      if (WITH_ARGUMENT.contains(name)) {
        problems.error(node, path, name + " needs an argument, e.g. " + example(name));
        return Optional.empty();
      }
      return simple(name, node, path);
    }
    if (!(node instanceof MappingNode) || ((MappingNode) node).getValue().size() != 1) {
      problems.error(node, path, "a transform is a name (trim) or a one-key mapping ({truncate: 80})");
      return Optional.empty();
    }
    Optional<YamlMap> read = YamlMap.read(node, path, problems, "a transform");
    if (read.isEmpty() || read.get().entries().isEmpty()) {
      return Optional.empty();
    }
    YamlMap.Entry e = read.get().entries().get(0);
    String name = e.key();
    if (NO_ARGUMENT.contains(name)) {
      problems.error(e.value(), e.path(), name + " takes no argument: write it as a plain name");
      return Optional.empty();
    }
    switch (name) {
      case "truncate":
        return YamlScalars.integer(e.value(), e.path(), problems, 1, MAX_TRUNCATE).map(Transform.Truncate::new);
      case "round":
        return YamlScalars.integer(e.value(), e.path(), problems, 0, Transform.Round.MAX_SCALE).map(Transform.Round::new);
      case "default":
        return YamlScalars.value(e.value(), e.path(), problems).map(Transform.Default::new);
      case "replace":
        return replace(e);
      default:
        unknown(e.keyNode(), e.path(), name);
        return Optional.empty();
    }
  }

  private Optional<Transform> replace(YamlMap.Entry e) {
    Optional<YamlMap> args = YamlMap.read(e.value(), e.path(), problems, "{from, to}");
    if (args.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = args.get().allowOnly(Set.of("from", "to"));
    Optional<String> from = m.requiredString("from");
    if (!m.has("to")) {
      problems.error(m.node(), m.childPath("to"), "required key 'to' is missing");
      return Optional.empty();
    }
    Node toNode = m.entry("to").get().value();
    String to;
    if (toNode instanceof ScalarNode) {
      to = YamlScalars.isNull(toNode) ? "" : ((ScalarNode) toNode).getValue();
    } else {
      problems.error(toNode, m.childPath("to"), "expected a string, found " + YamlScalars.describe(toNode));
      return Optional.empty();
    }
    return from.map(f -> new Transform.Replace(f, to));
  }

  private Optional<Transform> simple(String name, Node node, String path) {
    switch (name) {
      case "trim": return Optional.of(new Transform.Trim());
      case "lowercase": return Optional.of(new Transform.Lowercase());
      case "uppercase": return Optional.of(new Transform.Uppercase());
      case "toString": return Optional.of(new Transform.ToText());
      case "toNumber": return Optional.of(new Transform.ToNumber());
      case "toBoolean": return Optional.of(new Transform.ToBoolean());
      case "toDate": return Optional.of(new Transform.ToDate());
      default:
        unknown(node, path, name);
        return Optional.empty();
    }
  }

  private void unknown(Node node, String path, String name) {
    problems.error(node, path, "unknown transform '" + name + "'"
        + Suggest.closest(name, ALL).map(s -> "; did you mean '" + s + "'?").orElse("")
        + " (known: trim, lowercase, uppercase, truncate, replace, toString, toNumber, toBoolean, toDate, round, default)");
  }

  private static String example(String name) {
    switch (name) {
      case "truncate": return "{truncate: 80}";
      case "round": return "{round: 2}";
      case "replace": return "{replace: {from: '-', to: ' '}}";
      default: return "{default: 'n/a'}";
    }
  }
}
