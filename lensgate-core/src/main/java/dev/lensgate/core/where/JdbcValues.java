package dev.lensgate.core.where;

import dev.lensgate.core.lens.FieldType;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.SQLDialect;

/**
 * Binds and reads values with plain JDBC, using the drivers' java.time support.
 *
 * <p>Queries are rendered by jOOQ but bound and read here, because jOOQ's open-source edition
 * binds and reads {@code LocalDate}/{@code LocalDateTime} through {@code java.sql.Date}/
 * {@code Timestamp}, whose hybrid Julian calendar shifts dates before 1582 by days on H2. Binding
 * ourselves also keeps every value out of jOOQ's execute listeners and logs.
 */
public final class JdbcValues {
  private JdbcValues() {}

  /** Binds {@code values} (from jOOQ's {@code extractBindValues}) to parameters 1..n. */
  public static void bindAll(PreparedStatement ps, List<Object> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      bind(ps, i + 1, values.get(i));
    }
  }

  static void bind(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.NULL);
    } else if (v instanceof String) {
      ps.setString(index, (String) v);
    } else if (v instanceof Long) {
      ps.setLong(index, (Long) v);
    } else if (v instanceof Integer) {
      ps.setInt(index, (Integer) v);
    } else if (v instanceof BigDecimal) {
      ps.setBigDecimal(index, (BigDecimal) v);
    } else if (v instanceof Boolean) {
      ps.setBoolean(index, (Boolean) v);
    } else if (v instanceof OffsetDateTime || v instanceof LocalDateTime || v instanceof LocalDate) {
      ps.setObject(index, v);
    } else {
      throw new IllegalArgumentException("unexpected bind value type " + v.getClass().getName());
    }
  }

  /** Reads column {@code index} as the normalized value of {@code type} (see {@link FieldValues}). */
  public static Object read(ResultSet rs, int index, FieldType type, SQLDialect dialect) throws SQLException {
    switch (type) {
      case STRING:
        return rs.getString(index);
      case INTEGER: {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
      }
      case NUMBER:
        return rs.getBigDecimal(index);
      case BOOLEAN: {
        boolean v = rs.getBoolean(index);
        return rs.wasNull() ? null : v;
      }
      case TIMESTAMP:
        if (dialect.family() == SQLDialect.MARIADB) {
          LocalDateTime t = rs.getObject(index, LocalDateTime.class);
          return t == null ? null : t.toInstant(FieldValues.storageZone());
        } else {
          OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
          return t == null ? null : t.toInstant();
        }
      case DATE:
        return rs.getObject(index, LocalDate.class);
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }
}
