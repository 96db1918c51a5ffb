package dev.lensgate.core.lens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The mapping half of a lens: which table, which primary key, which declared fields map to which
 * columns. This is everything the planner and the SQL / in-memory compilers need, and everything a
 * runner is sent (never SQL text). Immutable; field order is declaration order.
 */
public final class LensSchema {
  private final String name;
  private final String schema;
  private final String table;
  private final String primaryKey;
  private final Map<String, LensField> fields;

  /**
   * @param schema optional database schema (may be null), validated like an identifier
   * @param primaryKey the lens field name of the primary key; must be declared in {@code fields}
   */
  public LensSchema(String name, String schema, String table, String primaryKey, List<LensField> fields) {
    this.name = Objects.requireNonNull(name, "name");
    this.schema = schema;
    this.table = Objects.requireNonNull(table, "table");
    this.primaryKey = Objects.requireNonNull(primaryKey, "primaryKey");
    if (schema != null && !LensField.IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("invalid schema name for lens " + name);
    }
    if (!LensField.IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException("invalid table name for lens " + name);
    }
    Map<String, LensField> byName = new LinkedHashMap<>();
    for (LensField f : fields) {
      if (byName.put(f.name(), f) != null) {
        throw new IllegalArgumentException("duplicate field " + f.name() + " in lens " + name);
      }
    }
    if (!byName.containsKey(primaryKey)) {
      throw new IllegalArgumentException("primary key " + primaryKey + " is not a declared field of lens " + name);
    }
    this.fields = java.util.Collections.unmodifiableMap(byName);
  }

  public String name() { return name; }

  /** The database schema, or empty for the connection's default. */
  public Optional<String> schema() { return Optional.ofNullable(schema); }

  public String table() { return table; }

  /** Lens field name of the primary key. */
  public String primaryKey() { return primaryKey; }

  public LensField primaryKeyField() { return fields.get(primaryKey); }

  /** Declared fields in declaration order. */
  public Map<String, LensField> fields() { return fields; }

  public Optional<LensField> field(String fieldName) { return Optional.ofNullable(fields.get(fieldName)); }
}
