package dev.lensgate.core.where;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * A jOOQ query rendered to SQL text with {@code ?} placeholders plus its bind values, ready for a
 * {@link PreparedStatement}. The SQL text holds only quoted lens identifiers and constants; client
 * values live in {@code binds} alone, and {@link #toString()} never shows them.
 */
public final class RenderedQuery {
  private final String sql;
  private final List<Object> binds;

  private RenderedQuery(String sql, List<Object> binds) {
    this.sql = sql;
    this.binds = binds;
  }

  public static RenderedQuery render(Query query, SQLDialect dialect) {
    DSLContext ctx = DSL.using(SqlColumns.requireSupported(dialect), SqlColumns.settings());
    String sql = ctx.render(Objects.requireNonNull(query, "query"));
    List<Object> binds = Collections.unmodifiableList(new ArrayList<>(ctx.extractBindValues(query)));
    return new RenderedQuery(sql, binds);
  }

  /** The SQL with placeholders (safe to log: no values). */
  public String sql() {
    return sql;
  }

  public List<Object> binds() {
    return binds;
  }

  /** Prepares and binds; the caller closes the statement. */
  public PreparedStatement prepare(Connection c) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      JdbcValues.bindAll(ps, binds);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "RenderedQuery[" + binds.size() + " bind values]";
  }
}
