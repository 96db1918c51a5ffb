package dev.lensgate.core.runner;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The serializable form of a {@link LensSchema}, as sent in a {@link RunnerFrame.Job}. It is plain
 * data and proves nothing: the receiver calls {@link #toSchema()}, which validates every
 * identifier, the primary key and the field types again, before compiling any SQL from it.
 *
 * @param schema database schema, empty for the connection's default
 * @param fields declared fields in declaration order; {@code type} is a {@link FieldType} wire name
 */
public record LensMapping(String name, Optional<String> schema, String table, String primaryKey,
    List<Field> fields) {
  /** One declared field: public name, source column, wire type name. */
  public record Field(String name, String column, String type) {
    public Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(type, "type");
    }
  }

  public LensMapping {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(primaryKey, "primaryKey");
    fields = List.copyOf(fields);
  }

  public static LensMapping of(LensSchema lens) {
    List<Field> fields = new ArrayList<>(lens.fields().size());
    for (LensField f : lens.fields().values()) {
      fields.add(new Field(f.name(), f.column(), f.type().wireName()));
    }
    return new LensMapping(lens.name(), lens.schema(), lens.table(), lens.primaryKey(), fields);
  }

  /**
   * Re-validates this mapping into a {@link LensSchema}.
   *
   * @throws IllegalArgumentException if an identifier, type or the primary key is invalid
   */
  public LensSchema toSchema() {
    if (!LensField.IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid lens name");
    }
    List<LensField> lensFields = new ArrayList<>(fields.size());
    for (Field f : fields) {
      FieldType type = FieldType.fromWire(f.type())
          .filter(t -> t.wireName().equals(f.type()))
          .orElseThrow(() -> new IllegalArgumentException("unknown field type"));
      lensFields.add(new LensField(f.name(), f.column(), type));
    }
    return new LensSchema(name, schema.orElse(null), table, primaryKey, lensFields);
  }
}
