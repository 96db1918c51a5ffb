package dev.lensgate.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A YAML mapping read for validation: string keys only, duplicates reported (YAML would silently
 * keep the last one, which hides mistakes), and typed accessors that report a wrong shape at the
 * value's position with its field path.
 */
final class YamlMap {
  /** One key of the mapping, with the nodes for positions. */
  record Entry(String key, Node keyNode, Node value, String path) {}

  private final Node node;
  private final String path;
  private final Problems problems;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private YamlMap(Node node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /** Reads {@code node} as a mapping, or reports "expected a mapping" and returns empty. */
  static Optional<YamlMap> read(Node node, String path, Problems problems, String what) {
    if (!(node instanceof MappingNode)) {
      problems.error(node, path, "expected " + what + " (a mapping), found " + YamlScalars.describe(node));
      return Optional.empty();
    }
    YamlMap map = new YamlMap(node, path, problems);
    for (var tuple : ((MappingNode) node).getValue()) {
      Node k = tuple.getKeyNode();
      if (!(k instanceof ScalarNode) || YamlScalars.isNull(k)) {
        problems.error(k, path, "keys must be plain names");
        continue;
      }
      String key = ((ScalarNode) k).getValue();
      String keyPath = Problems.join(path, key);
      Entry previous = map.entries.get(key);
      if (previous != null) {
        problems.error(k, keyPath, "duplicate key '" + key + "' (first defined at line "
            + (previous.keyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0)) + ")");
        continue;
      }
      map.entries.put(key, new Entry(key, k, tuple.getValueNode(), keyPath));
    }
    return Optional.of(map);
  }

  /** Reports every key not in {@code allowed}, suggesting the closest allowed one. */
  YamlMap allowOnly(Set<String> allowed) {
    for (Entry e : entries.values()) {
      if (!allowed.contains(e.key())) {
        problems.error(e.keyNode(), e.path(), "unknown key '" + e.key() + "'" + Suggest.closest(e.key(), allowed)
            .map(s -> "; did you mean '" + s + "'?").orElse("") + " (allowed: " + String.join(", ", sorted(allowed)) + ")");
      }
    }
    return this;
  }

  Node node() { return node; }

  String path() { return path; }

  List<Entry> entries() { return new ArrayList<>(entries.values()); }

  Optional<Entry> entry(String key) { return Optional.ofNullable(entries.get(key)); }

  boolean has(String key) { return entries.containsKey(key); }

  String childPath(String key) { return Problems.join(path, key); }

  /** A required string; reports "missing" at the mapping when absent. */
  Optional<String> requiredString(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      problems.error(node, childPath(key), "required key '" + key + "' is missing");
      return Optional.empty();
    }
    return YamlScalars.string(e.value(), e.path(), problems);
  }

  Optional<String> optionalString(String key) {
    Entry e = entries.get(key);
    return e == null ? Optional.empty() : YamlScalars.string(e.value(), e.path(), problems);
  }

  Optional<Boolean> optionalBoolean(String key) {
    Entry e = entries.get(key);
    return e == null ? Optional.empty() : YamlScalars.bool(e.value(), e.path(), problems);
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }
}
