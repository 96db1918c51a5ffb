package dev.lensgate.core.config;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads one {@code lenses.<name>} entry into a {@link Draft}: everything but the final grants, which
 * are merged with the top-level {@code grants} section before the {@link LensConfig} is built.
 */
final class LensReader {
  private static final Set<String> LENS_KEYS = union(Set.of("source", "table", "schema", "primaryKey", "fields", "grants",
      "maxLiveSubscriptions"),
      IndexReader.LENS_KEYS);
  private static final Set<String> FIELD_KEYS = Set.of("type", "from", "searchable", "transforms");
  static final int MAX_FIELDS = 500;

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new java.util.HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  /** A lens read without errors, waiting for its merged grants. */
  record Draft(
      String name,
      Node keyNode,
      String source,
      LensSchema schema,
      Map<String, FieldTransforms> transforms,
      List<String> searchable,
      IndexSettings index,
      Map<Operation, GrantReader.Located> grants,
      Optional<Node> grantsNode,
      OptionalInt maxLiveSubscriptions) {}

  private final Problems problems;
  private final GrantReader grantReader;
  private final TransformReader transformReader;
  private final IndexReader indexReader;
  private final Set<String> sourceNames;

  /** @param embedderNames the declared embedders, {@code local} included */
  LensReader(Problems problems, GrantReader grantReader, Set<String> sourceNames, Set<String> embedderNames) {
    this.problems = problems;
    this.grantReader = grantReader;
    this.transformReader = new TransformReader(problems);
    this.indexReader = new IndexReader(problems, embedderNames);
    this.sourceNames = sourceNames;
  }

  Optional<Draft> read(YamlMap.Entry entry) {
    boolean ok = true;
    if (!LensField.IDENTIFIER.matcher(entry.key()).matches()) {
      problems.error(entry.keyNode(), entry.path(),
          "lens name '" + entry.key() + "' must be letters, digits and _ (not starting with a digit), at most 63");
      ok = false;
    }
    Optional<YamlMap> read = YamlMap.read(entry.value(), entry.path(), problems, "a lens");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = read.get().allowOnly(LENS_KEYS);
    Optional<String> source = m.requiredString("source");
    if (source.isPresent() && !sourceNames.contains(source.get())) {
      problems.error(m.entry("source").get().value(), m.childPath("source"), "unknown source '" + source.get()
          + "'" + (sourceNames.isEmpty() ? " (no sources are defined)" : " (defined: " + String.join(", ", sourceNames) + ")"));
      ok = false;
    }
    String[] schemaAndTable = schemaAndTable(m);
    ok &= schemaAndTable != null;

    Map<String, LensField> fields = new LinkedHashMap<>();
    Map<String, FieldTransforms> transforms = new LinkedHashMap<>();
    Map<String, Integer> weights = new LinkedHashMap<>();
    Set<String> declared = new java.util.LinkedHashSet<>();
    if (!m.has("fields")) {
      problems.error(m.node(), m.childPath("fields"), "required key 'fields' is missing");
      ok = false;
    } else {
      ok &= readFields(m.entry("fields").get(), declared, fields, transforms, weights);
    }

    Optional<String> primaryKey = m.requiredString("primaryKey");
    if (primaryKey.isPresent() && !declared.isEmpty() && !declared.contains(primaryKey.get())) {
      problems.error(m.entry("primaryKey").get().value(), m.childPath("primaryKey"), "primaryKey '" + primaryKey.get()
          + "' is not a declared field (fields: " + String.join(", ", declared) + ")");
      ok = false;
    }

    Optional<IndexSettings> index = indexReader.read(m, fields, declared, weights);
    ok &= index.isPresent();

    OptionalInt maxLive = OptionalInt.empty();
    if (m.has("maxLiveSubscriptions")) {
      YamlMap.Entry e = m.entry("maxLiveSubscriptions").get();
      Optional<Integer> n = YamlScalars.integer(e.value(), e.path(), problems, 1, LensConfig.MAX_LIVE_SUBSCRIPTIONS);
      ok &= n.isPresent();
      maxLive = n.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    Map<Operation, GrantReader.Located> grants = new EnumMap<>(Operation.class);
    Optional<Node> grantsNode = m.entry("grants").map(YamlMap.Entry::value);
    if (grantsNode.isPresent()) {
      grants.putAll(grantReader.readOperations(grantsNode.get(), m.childPath("grants")));
    }
    if (!ok || source.isEmpty() || primaryKey.isEmpty()) {
      return Optional.empty();
    }
    try {
      LensSchema schema = new LensSchema(entry.key(), schemaAndTable[0], schemaAndTable[1], primaryKey.get(),
          new ArrayList<>(fields.values()));
      return Optional.of(new Draft(entry.key(), entry.keyNode(), source.get(), schema, transforms,
          new ArrayList<>(weights.keySet()), index.get(), grants, grantsNode, maxLive));
    } catch (IllegalArgumentException e) {
      // Every rule LensSchema enforces was checked above; this is a guard, not an expected path.
      problems.error(entry.value(), entry.path(), "invalid lens: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** @return {schema or null, table}, or null after reporting a problem */
  private String[] schemaAndTable(YamlMap m) {
    Optional<String> table = m.requiredString("table");
    Optional<String> schema = m.optionalString("schema");
    if (table.isEmpty() || m.has("schema") && schema.isEmpty()) {
      return null;
    }
    String t = table.get();
    String s = schema.orElse(null);
    Node tableNode = m.entry("table").get().value();
    int dot = t.indexOf('.');
    if (dot >= 0) {
      if (s != null) {
        problems.error(tableNode, m.childPath("table"), "give the schema either as 'schema' or as 'schema.table', not both");
        return null;
      }
      s = t.substring(0, dot);
      t = t.substring(dot + 1);
    }
    boolean ok = true;
    if (!LensField.IDENTIFIER.matcher(t).matches()) {
      problems.error(tableNode, m.childPath("table"), "table name '" + t + "' must be letters, digits and _");
      ok = false;
    }
    if (s != null && !LensField.IDENTIFIER.matcher(s).matches()) {
      Node at = m.has("schema") ? m.entry("schema").get().value() : tableNode;
      problems.error(at, m.has("schema") ? m.childPath("schema") : m.childPath("table"),
          "schema name '" + s + "' must be letters, digits and _");
      ok = false;
    }
    return ok ? new String[] {s, t} : null;
  }

  private boolean readFields(YamlMap.Entry entry, Set<String> declared, Map<String, LensField> fields, Map<String, FieldTransforms> transforms,
      Map<String, Integer> weights) {
    Optional<YamlMap> read = YamlMap.read(entry.value(), entry.path(), problems, "fields: name → {type, from, ...}");
    if (read.isEmpty()) {
      return false;
    }
    List<YamlMap.Entry> entries = read.get().entries();
    if (entries.isEmpty() || entries.size() > MAX_FIELDS) {
      problems.error(entry.value(), entry.path(), "declare between 1 and " + MAX_FIELDS + " fields");
      return false;
    }
    boolean ok = true;
    for (YamlMap.Entry f : entries) {
      declared.add(f.key());
      ok &= readField(f, fields, transforms, weights);
    }
    return ok;
  }

  private boolean readField(YamlMap.Entry f, Map<String, LensField> fields, Map<String, FieldTransforms> transforms,
      Map<String, Integer> weights) {
    boolean ok = true;
    if (!LensField.IDENTIFIER.matcher(f.key()).matches()) {
      problems.error(f.keyNode(), f.path(), "field name '" + f.key() + "' must be letters, digits and _ (not starting with a digit)");
      ok = false;
    }
    Optional<YamlMap> read = YamlMap.read(f.value(), f.path(), problems, "a field: {type, from, searchable, transforms}");
    if (read.isEmpty()) {
      return false;
    }
    YamlMap m = read.get().allowOnly(FIELD_KEYS);
    Optional<FieldType> type = m.requiredString("type").flatMap(t -> {
      Optional<FieldType> ft = FieldType.fromWire(t);
      if (ft.isEmpty()) {
        problems.error(m.entry("type").get().value(), m.childPath("type"),
            "unknown type '" + t + "' (known: string, integer, number, boolean, timestamp, date)");
      }
      return ft;
    });
    String column = f.key();
    if (m.has("from")) {
      Optional<String> from = m.optionalString("from");
      if (from.isPresent() && !LensField.IDENTIFIER.matcher(from.get()).matches()) {
        problems.error(m.entry("from").get().value(), m.childPath("from"),
            "column name '" + from.get() + "' must be letters, digits and _ (not starting with a digit)");
        ok = false;
      }
      column = from.orElse(null);
    }
    Optional<Integer> weight = m.entry("searchable").map(indexReader::weight).orElse(Optional.of(0));
    ok &= weight.isPresent();
    Optional<FieldTransforms> chain = Optional.of(FieldTransforms.none());
    if (m.has("transforms")) {
      YamlMap.Entry t = m.entry("transforms").get();
      chain = transformReader.read(t.value(), t.path());
    }
    if (!ok || type.isEmpty() || column == null || chain.isEmpty()) {
      return false;
    }
    fields.put(f.key(), new LensField(f.key(), column, type.get()));
    transforms.put(f.key(), chain.get());
    if (weight.get() > 0) {
      weights.put(f.key(), weight.get());
    }
    return true;
  }
}
