package dev.lensgate.core.lens;

import java.util.Locale;
import java.util.Optional;

/** The declared type of a lens field; decides how filter values are coerced and rows shaped. */
public enum FieldType {
  STRING,
  INTEGER,
  NUMBER,
  BOOLEAN,
  /** An instant or date; carried as ISO-8601 text on the wire. */
  TIMESTAMP,
  DATE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<FieldType> fromWire(String name) {
    if (name == null) {
      return Optional.empty();
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "string": case "text": return Optional.of(STRING);
      case "integer": case "int": case "long": return Optional.of(INTEGER);
      case "number": case "float": case "double": case "decimal": return Optional.of(NUMBER);
      case "boolean": case "bool": return Optional.of(BOOLEAN);
      case "timestamp": case "datetime": return Optional.of(TIMESTAMP);
      case "date": return Optional.of(DATE);
      default: return Optional.empty();
    }
  }
}
