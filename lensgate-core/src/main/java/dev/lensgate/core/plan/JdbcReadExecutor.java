package dev.lensgate.core.plan;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.JdbcValues;
import dev.lensgate.core.where.RenderedQuery;
import dev.lensgate.core.where.SqlColumns;
import dev.lensgate.core.where.SqlFilterCompiler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * Runs a {@link ReadSpec} over JDBC: one {@code SELECT} built with jOOQ from the lens mapping —
 * quoted identifiers, bound values, {@code ORDER BY} with explicit NULL placement, the keyset
 * predicate for a cursor, and {@code limit + 1} rows fetched to learn whether another page exists.
 * The caller owns the connection (it is neither closed nor committed here). Paging is rendered
 * as {@code OFFSET … FETCH NEXT}, so MariaDB must be 10.6 or newer.
 *
 * <p>The SQL is rendered by jOOQ and run with plain JDBC ({@link RenderedQuery}, {@link JdbcValues}).
 * Rows hold only the selected fields, in lens declaration order, normalized (see
 * {@link dev.lensgate.core.where.FieldValues}). Database failures become {@code source_unreachable}
 * (or {@code upstream_timeout} when the query timed out) with a fixed message: driver messages can
 * quote row values and never reach the client (the cause is kept for the server's own handling).
 *
 * <p>Built without a {@link CursorCodec} (on a runner, which must not hold the cursor key) it can
 * only {@link #fetch}; the gateway signs cursors with {@link ReadPlanner#complete}. Thread-safe.
 */
public final class JdbcReadExecutor {
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
  private static final String PG_QUERY_CANCELED = "57014";

  private final SQLDialect dialect;
  private final Optional<ReadPlanner> signer;
  private final int queryTimeoutSeconds;

  /** A fetch-only executor (runners). */
  public JdbcReadExecutor(SQLDialect dialect) {
    this(dialect, Optional.empty(), DEFAULT_QUERY_TIMEOUT);
  }

  /** An executor that also signs next-page cursors (gateway, direct mode). */
  public JdbcReadExecutor(SQLDialect dialect, CursorCodec codec) {
    this(dialect, Optional.of(new ReadPlanner(codec)), DEFAULT_QUERY_TIMEOUT);
  }

  public JdbcReadExecutor(SQLDialect dialect, CursorCodec codec, Duration queryTimeout) {
    this(dialect, Optional.of(new ReadPlanner(codec)), queryTimeout);
  }

  private JdbcReadExecutor(SQLDialect dialect, Optional<ReadPlanner> signer, Duration queryTimeout) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    SqlColumns.requireSupported(dialect);
    this.signer = signer;
    long seconds = queryTimeout.toSeconds();
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("query timeout must be between 1 s and 1 h");
    }
    this.queryTimeoutSeconds = (int) seconds;
  }

  /**
   * Fetches one page and signs the next-page cursor.
   *
   * @throws IllegalStateException if this executor was built without a {@link CursorCodec}
   */
  public ReadResult execute(Connection c, ReadSpec spec, LensSchema lens, String envId) {
    ReadPlanner planner = signer.orElseThrow(() -> new IllegalStateException(
        "this executor has no cursor key; use fetch() and sign with ReadPlanner.complete()"));
    return planner.complete(spec, fetch(c, spec, lens), envId);
  }

  /** Fetches one page; the result carries the raw keyset position of its last row. */
  public ReadPage fetch(Connection c, ReadSpec spec, LensSchema lens) {
    return fetch(c, spec, lens, queryTimeoutSeconds, s -> { });
  }

  /**
   * Like {@link #fetch(Connection, ReadSpec, LensSchema)}, with this call's own query timeout and
   * a hook that receives the statement just before it executes — a runner keeps it so that a
   * {@code cancel} frame can {@link Statement#cancel()} the running query from another thread.
   *
   * @param queryTimeout rounded up to whole seconds, 1 s .. 1 h
   */
  public ReadPage fetch(Connection c, ReadSpec spec, LensSchema lens, Duration queryTimeout,
      Consumer<? super Statement> onStatement) {
    long millis = queryTimeout.toMillis();
    if (millis < 1 || millis > 3_600_000L) {
      throw new IllegalArgumentException("query timeout must be between 1 ms and 1 h");
    }
    return fetch(c, spec, lens, (int) ((millis + 999) / 1000), Objects.requireNonNull(onStatement, "onStatement"));
  }

  private ReadPage fetch(Connection c, ReadSpec spec, LensSchema lens, int timeoutSeconds,
      Consumer<? super Statement> onStatement) {
    Objects.requireNonNull(c, "connection");
    spec.validate(lens);
    SqlColumns cols = SqlColumns.of(lens, dialect);

    List<String> fetched = fetchedFields(spec, lens);
    List<Field<?>> fields = new ArrayList<>(fetched.size());
    for (String name : fetched) {
      fields.add(cols.column(name));
    }
    Condition where = SqlFilterCompiler.compile(spec.filter(), cols);
    if (spec.after().isPresent()) {
      where = where.and(SqlFilterCompiler.compile(Keyset.after(spec.orderBy(), spec.after().get()), cols));
    }
    List<SortField<?>> sorts = new ArrayList<>(spec.orderBy().size());
    for (SortKey k : spec.orderBy()) {
      sorts.add(cols.sortField(k.field(), k.descending()));
    }

    Query query = DSL.select(fields).from(cols.table()).where(where).orderBy(sorts)
        .limit(DSL.val(spec.limit() + 1)).offset(DSL.val(spec.offset()));
    RenderedQuery rendered = RenderedQuery.render(query, dialect);
    List<Map<String, Object>> fetchedRows = new ArrayList<>();
    try (PreparedStatement ps = rendered.prepare(c)) {
      ps.setQueryTimeout(timeoutSeconds);
      ps.setMaxRows(spec.limit() + 1);
      onStatement.accept(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 0; i < fetched.size(); i++) {
            LensField f = lens.field(fetched.get(i)).orElseThrow();
            row.put(f.name(), JdbcValues.read(rs, i + 1, f.type(), dialect));
          }
          fetchedRows.add(row);
        }
      }
    } catch (SQLException e) {
      throw translate(e);
    }
    return page(fetchedRows, spec);
  }

  /**
   * Counts the rows matching {@code spec}'s filter ({@code SELECT COUNT(*)} with the same
   * {@code where} compiler and bound values as {@link #fetch}); order, window and cursor are ignored.
   * Direct mode and a runner's {@code count} job both come here, so they agree by construction.
   */
  public long count(Connection c, ReadSpec spec, LensSchema lens) {
    return count(c, spec, lens, queryTimeoutSeconds, s -> { });
  }

  /** Like {@link #count(Connection, ReadSpec, LensSchema)} with a query timeout and a statement hook, as {@link #fetch}. */
  public long count(Connection c, ReadSpec spec, LensSchema lens, Duration queryTimeout,
      Consumer<? super Statement> onStatement) {
    long millis = queryTimeout.toMillis();
    if (millis < 1 || millis > 3_600_000L) {
      throw new IllegalArgumentException("query timeout must be between 1 ms and 1 h");
    }
    return count(c, spec, lens, (int) ((millis + 999) / 1000), Objects.requireNonNull(onStatement, "onStatement"));
  }

  private long count(Connection c, ReadSpec spec, LensSchema lens, int timeoutSeconds,
      Consumer<? super Statement> onStatement) {
    Objects.requireNonNull(c, "connection");
    spec.validate(lens);
    SqlColumns cols = SqlColumns.of(lens, dialect);
    Condition where = SqlFilterCompiler.compile(spec.filter(), cols);
    RenderedQuery rendered = RenderedQuery.render(DSL.selectCount().from(cols.table()).where(where), dialect);
    try (PreparedStatement ps = rendered.prepare(c)) {
      ps.setQueryTimeout(timeoutSeconds);
      onStatement.accept(ps);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("COUNT(*) returned no row");
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Selected fields plus sort fields (needed for the keyset position), in declaration order. */
  private static List<String> fetchedFields(ReadSpec spec, LensSchema lens) {
    Set<String> wanted = new LinkedHashSet<>(spec.select());
    for (SortKey k : spec.orderBy()) {
      wanted.add(k.field());
    }
    List<String> ordered = new ArrayList<>(wanted.size());
    for (String name : lens.fields().keySet()) {
      if (wanted.contains(name)) {
        ordered.add(name);
      }
    }
    return ordered;
  }

  private static ReadPage page(List<Map<String, Object>> fetched, ReadSpec spec) {
    boolean more = fetched.size() > spec.limit();
    int n = Math.min(fetched.size(), spec.limit());
    Set<String> selected = Set.copyOf(spec.select());
    List<Map<String, Object>> rows = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      Map<String, Object> shaped = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : fetched.get(r).entrySet()) {
        if (selected.contains(e.getKey())) {
          shaped.put(e.getKey(), e.getValue());
        }
      }
      rows.add(Collections.unmodifiableMap(shaped));
    }
    if (!more) {
      return new ReadPage(rows, Optional.empty());
    }
    Map<String, Object> last = fetched.get(n - 1);
    List<Object> position = new ArrayList<>(spec.orderBy().size());
    for (SortKey k : spec.orderBy()) {
      position.add(last.get(k.field()));
    }
    return new ReadPage(rows, Optional.of(new KeysetPosition(position)));
  }

  private static LensgateException translate(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTimeoutException
          || (t instanceof SQLException && PG_QUERY_CANCELED.equals(((SQLException) t).getSQLState()))) {
        return new LensgateException(ErrorCode.UPSTREAM_TIMEOUT, "the source did not answer in time", e);
      }
    }
    return new LensgateException(ErrorCode.SOURCE_UNREACHABLE, "the source query failed", e);
  }
}
