package dev.lensgate.core.lens;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared field of a lens: the public name clients use and the source column it maps to.
 * Identifiers are validated here so nothing downstream has to trust them.
 */
public record LensField(String name, String column, FieldType type) {
  /** Field and column names: letters, digits, underscore; no quoting tricks possible. */
  public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  public LensField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(type, "type");
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid field name: " + name);
    }
    if (!IDENTIFIER.matcher(column).matches()) {
      throw new IllegalArgumentException("invalid column name for field " + name);
    }
  }
}
