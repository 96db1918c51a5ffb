package dev.lensgate.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One result row: the lens's declared fields in the order the gateway sent them.
 *
 * <p>Values keep their JSON kind without loss: text is {@code String}, integers are {@code Long}
 * ({@code BigInteger} beyond its range), decimals are {@code BigDecimal} (so prices stay exact),
 * booleans are {@code Boolean}, JSON null is {@code null}, objects are unmodifiable {@code Map}s
 * and arrays unmodifiable {@code List}s. The typed getters convert where that is lossless or
 * clearly intended ({@link #getDouble} from any number) and otherwise throw {@link
 * ClassCastException} naming the field and the actual type (never the value).
 *
 * <p>Immutable and thread-safe. Asking for a field the row does not have throws {@link
 * IllegalArgumentException}: a typo should not look like a null.
 */
public final class Row {
  private final Map<String, Object> fields;

  /** @param fields an unmodifiable, ordered map of JSON-model values (see {@code JsonTree}) */
  Row(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** The row as an unmodifiable, ordered map. */
  public Map<String, Object> asMap() {
    return fields;
  }

  /** Field names in the gateway's order. */
  public Set<String> fieldNames() {
    return fields.keySet();
  }

  /** True if the row carries this field (possibly as null). */
  public boolean has(String field) {
    return fields.containsKey(field);
  }

  /** The raw value, null for JSON null. */
  public Object get(String field) {
    Objects.requireNonNull(field, "field");
    if (!fields.containsKey(field)) {
      throw new IllegalArgumentException("row has no field '" + field + "'; it has " + fields.keySet());
    }
    return fields.get(field);
  }

  public String getString(String field) {
    Object v = get(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw mismatch(field, v, "String");
  }

  /** An integer value; a decimal with no fractional part (e.g. {@code 3.0}) is accepted. */
  public Long getLong(String field) {
    Object v = get(field);
    if (v == null || v instanceof Long) {
      return (Long) v;
    }
    try {
      if (v instanceof BigInteger big) {
        return big.longValueExact();
      }
      if (v instanceof BigDecimal dec) {
        return dec.longValueExact();
      }
    } catch (ArithmeticException e) {
      throw new ArithmeticException("field '" + field + "' does not fit a long without loss");
    }
    throw mismatch(field, v, "Long");
  }

  /** Any number as a double (may round very large or very precise values). */
  public Double getDouble(String field) {
    Object v = get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw mismatch(field, v, "Double");
  }

  /** Any number, exactly. */
  public BigDecimal getBigDecimal(String field) {
    Object v = get(field);
    if (v == null || v instanceof BigDecimal) {
      return (BigDecimal) v;
    }
    if (v instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (v instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    throw mismatch(field, v, "BigDecimal");
  }

  public Boolean getBoolean(String field) {
    Object v = get(field);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw mismatch(field, v, "Boolean");
  }

  private static ClassCastException mismatch(String field, Object value, String wanted) {
    return new ClassCastException(
        "field '" + field + "' is a " + value.getClass().getSimpleName() + ", not a " + wanted);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return "Row" + fields;
  }
}
