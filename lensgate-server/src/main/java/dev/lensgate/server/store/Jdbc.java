package dev.lensgate.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Thin JDBC helper: every value is a bound parameter, SQL text is always a constant of the calling
 * class, and SQLExceptions become {@link StoreException}s naming the operation.
 */
final class Jdbc {
  /** A typed SQL NULL, since some drivers cannot infer a type for {@code setObject(i, null)}. */
  record Null(int sqlType) {}

  static final Null NULL_TEXT = new Null(Types.VARCHAR);
  static final Null NULL_TIMESTAMP = new Null(Types.TIMESTAMP_WITH_TIMEZONE);

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> List<T> query(String operation, String sql, RowMapper<T> mapper, Object... params) {
    return run(operation, c -> query(c, sql, mapper, params));
  }

  <T> Optional<T> queryOne(String operation, String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(operation, sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  int update(String operation, String sql, Object... params) {
    return run(operation, c -> update(c, sql, params));
  }

  /** Runs {@code work} on one connection in autocommit mode. */
  <T> T run(String operation, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    }
  }

  /** Runs {@code work} in one transaction; rolls back on any exception. */
  <T> T inTransaction(String operation, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    }
  }

  static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    List<T> rows = query(c, sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Null) {
        ps.setNull(i + 1, ((Null) p).sqlType());
      } else if (p instanceof Instant) {
        ps.setObject(i + 1, OffsetDateTime.ofInstant((Instant) p, ZoneOffset.UTC));
      } else if (p == null) {
        throw new IllegalArgumentException("untyped null parameter " + (i + 1) + "; use a Jdbc.Null");
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Object nullableText(String s) {
    return s == null ? NULL_TEXT : s;
  }

  static Object nullableInstant(Instant t) {
    return t == null ? NULL_TIMESTAMP : t;
  }

  static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && UNIQUE_VIOLATION.equals(((SQLException) t).getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
