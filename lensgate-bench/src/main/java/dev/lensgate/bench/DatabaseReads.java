package dev.lensgate.bench;

import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Database work during the measured window, to show that no database is read per subscriber per
 * event: statements executed on the gateway's H2 metadata store (H2's query statistics, switched on
 * at the window's start, so they count from there) and scans of the lens's source table in
 * PostgreSQL ({@code pg_stat_user_tables}; PostgreSQL publishes a backend's counters up to ~10 s
 * late, so the after-reading waits until 11 s past the window).
 */
final class DatabaseReads {
  private static final long PG_FLUSH_NANOS = 11_000_000_000L;

  private final DataSource metadata;
  private final TestDatabase source;
  private final String table;
  private long[] sourceBefore;
  private String metadataProblem;

  DatabaseReads(DataSource metadata, TestDatabase source, String table) {
    this.metadata = metadata;
    this.source = source;
    this.table = table;
  }

  void start() throws SQLException {
    sourceBefore = sourceScans();
    try (Connection c = metadata.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET QUERY_STATISTICS FALSE"); // clears earlier statistics
      s.execute("SET QUERY_STATISTICS TRUE");
    } catch (SQLException e) {
      metadataProblem = e.getClass().getSimpleName() + " " + e.getErrorCode();
    }
  }

  /** The report lines; call after the window ended. */
  String finish(long windowEndNanos) throws SQLException, InterruptedException {
    StringBuilder out = new StringBuilder();
    if (metadataProblem != null) {
      out.append("metadata statements in the window: n/a (query statistics unavailable: ").append(metadataProblem)
          .append(")\n");
    } else {
      long total = 0;
      List<String> top = new ArrayList<>();
      try (Connection c = metadata.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS"
              + " ORDER BY EXECUTION_COUNT DESC")) {
        while (rs.next()) {
          String sql = rs.getString(1);
          if (sql.toUpperCase(Locale.ROOT).contains("QUERY_STATISTICS")) {
            continue;
          }
          total += rs.getLong(2);
          if (top.size() < 4) {
            top.add(rs.getLong(2) + "x " + shorten(sql));
          }
        }
        s.execute("SET QUERY_STATISTICS FALSE");
      }
      out.append(String.format(Locale.ROOT, "metadata (H2) statements executed from the window's start until now: %,d"
          + " (background timers, not per event); top: %s%n", total, top.isEmpty() ? "none" : String.join(" | ", top)));
    }
    long wait = windowEndNanos + PG_FLUSH_NANOS - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000);
    }
    long[] after = sourceScans();
    out.append(String.format(Locale.ROOT, "source (PostgreSQL table %s.%s) scans during the window: %d sequential +"
        + " %d index, %d rows read%n", source.name(), table, after[0] - sourceBefore[0], after[1] - sourceBefore[1],
        after[2] - sourceBefore[2]));
    return out.toString();
  }

  private long[] sourceScans() throws SQLException {
    try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT coalesce(seq_scan, 0), coalesce(idx_scan, 0), coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
        + " FROM pg_stat_user_tables WHERE schemaname = ? AND relname = ?")) {
      ps.setString(1, source.name());
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)} : new long[3];
      }
    }
  }

  private static String shorten(String sql) {
    String one = sql.replaceAll("\\s+", " ").trim();
    return one.length() > 90 ? one.substring(0, 90) + "..." : one;
  }
}
