package dev.lensgate.core.config;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the indexing settings of a lens: a field's {@code searchable: true | false | {weight: N}}
 * and the lens-level {@code embedder}, {@code changeTrackingColumn}, {@code syncInterval} and
 * {@code smartSyncInterval}.
 */
final class IndexReader {
  static final Set<String> LENS_KEYS = Set.of("embedder", "changeTrackingColumn", "syncInterval", "smartSyncInterval");
  static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
  static final Duration MAX_INTERVAL = Duration.ofDays(30);
  private static final Set<FieldType> TRACKABLE = EnumSet.of(FieldType.INTEGER, FieldType.NUMBER, FieldType.TIMESTAMP);

  private final Problems problems;
  private final Set<String> embedderNames;

  IndexReader(Problems problems, Set<String> embedderNames) {
    this.problems = problems;
    this.embedderNames = embedderNames;
  }

  /**
   * A field's weight: 0 when not searchable, 1 for {@code true}, N for {@code {weight: N}}; empty
   * after reporting a problem.
   */
  Optional<Integer> weight(YamlMap.Entry e) {
    Node n = e.value();
    if (n instanceof ScalarNode && Tag.BOOL.equals(n.getTag())) {
      return YamlScalars.bool(n, e.path(), problems).map(b -> b ? 1 : 0);
    }
    if (!(n instanceof MappingNode)) {
      problems.error(n, e.path(), "expected true, false or {weight: 1.." + IndexSettings.MAX_WEIGHT + "}, found " + YamlScalars.describe(n));
      return Optional.empty();
    }
    YamlMap m = YamlMap.read(n, e.path(), problems, "searchable options").orElseThrow().allowOnly(Set.of("weight"));
    if (!m.has("weight")) {
      problems.error(n, m.childPath("weight"), "required key 'weight' is missing");
      return Optional.empty();
    }
    YamlMap.Entry w = m.entry("weight").get();
    Optional<Integer> weight = YamlScalars.integer(w.value(), w.path(), problems, 1, IndexSettings.MAX_WEIGHT);
    return m.entries().size() == 1 ? weight : Optional.empty();
  }

  /**
   * The lens-level settings; empty after reporting a problem.
   *
   * @param fields the declared fields read without problems (a change-tracking field must be one)
   * @param weights searchable field → weight, in declaration order
   */
  Optional<IndexSettings> read(YamlMap lens, Map<String, LensField> fields, Set<String> declared, Map<String, Integer> weights) {
    boolean ok = true;
    String embedder = IndexSettings.LOCAL_EMBEDDER;
    if (lens.has("embedder")) {
      Optional<String> name = lens.optionalString("embedder");
      if (name.isPresent() && !embedderNames.contains(name.get())) {
        problems.error(lens.entry("embedder").get().value(), lens.childPath("embedder"), "unknown embedder '" + name.get()
            + "' (declared: " + String.join(", ", embedderNames) + ")"
            + Suggest.closest(name.get(), embedderNames).map(s -> "; did you mean '" + s + "'?").orElse(""));
        ok = false;
      }
      ok &= name.isPresent();
      embedder = name.orElse(embedder);
    }
    Optional<String> tracking = Optional.empty();
    if (lens.has("changeTrackingColumn")) {
      tracking = lens.optionalString("changeTrackingColumn");
      ok &= tracking.isPresent() && checkTracking(lens.entry("changeTrackingColumn").get(), tracking.get(), fields, declared);
    }
    Optional<Duration> sync = interval(lens, "syncInterval");
    Optional<Duration> smart = interval(lens, "smartSyncInterval");
    ok &= !lens.has("syncInterval") || sync.isPresent();
    ok &= !lens.has("smartSyncInterval") || smart.isPresent();
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(new IndexSettings(weights, embedder, tracking, sync, smart));
  }

  private boolean checkTracking(YamlMap.Entry at, String name, Map<String, LensField> fields, Set<String> declared) {
    if (!declared.contains(name)) {
      problems.error(at.value(), at.path(), "changeTrackingColumn '" + name + "' is not a declared field"
          + Suggest.closest(name, declared).map(s -> "; did you mean '" + s + "'?").orElse("")
          + " (name the lens field, not the source column)");
      return false;
    }
    LensField f = fields.get(name);
    if (f != null && !TRACKABLE.contains(f.type())) {
      problems.error(at.value(), at.path(), "changeTrackingColumn '" + name + "' is a " + f.type().wireName()
          + " field: it must be integer, number or timestamp (a value that only grows when the row changes)");
      return false;
    }
    return f != null;
  }

  private Optional<Duration> interval(YamlMap lens, String key) {
    return lens.entry(key).flatMap(e -> Durations.read(e.value(), e.path(), problems, MIN_INTERVAL, MAX_INTERVAL));
  }
}
