package dev.lensgate.server.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** The {@code runner_jobs} ledger: appends, export by time, and a 90-day retention sweep. Thread-safe. */
public final class RunnerJobStore {
  public static final Duration RETENTION = Duration.ofDays(90);
  private static final String COLUMNS =
      "id, runner_id, env_id, source_name, kind, status, duration_ms, row_count, error_code, created_at";

  private final Jdbc jdbc;
  private final Clock clock;
  private final Ids ids = new Ids();

  public RunnerJobStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A fresh ledger row id. */
  public String newId() {
    return ids.next();
  }

  public void append(RunnerJobRow r) {
    jdbc.update("append runner job", "INSERT INTO runner_jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(), Jdbc.nullableText(r.runnerId().orElse(null)), r.envId(), cut(r.source(), 128), r.kind(), r.status(),
        Math.max(0, r.durationMs()), Math.max(0, r.rowCount()), Jdbc.nullableText(r.errorCode().map(c -> cut(c, 64)).orElse(null)),
        r.createdAt().truncatedTo(ChronoUnit.MICROS));
  }

  /** Rows created at or after {@code since}, oldest first; all environments of the store. */
  public List<RunnerJobRow> since(Instant since) {
    List<RunnerJobRow> rows = new java.util.ArrayList<>();
    forEachSince(since, EXPORT_PAGE_ROWS, rows::add);
    return rows;
  }

  /** Rows an export reads per query. */
  public static final int EXPORT_PAGE_ROWS = 1_000;

  /**
   * Hands {@code action} every row created at or after {@code since}, oldest first, reading
   * {@code pageRows} at a time by keyset (created_at, id): an export of 90 days of a busy ledger
   * holds one page in memory and no long-lived cursor, whichever database the store is on.
   */
  public void forEachSince(Instant since, int pageRows, Consumer<RunnerJobRow> action) {
    if (pageRows < 1) {
      throw new IllegalArgumentException("pageRows must be positive");
    }
    List<RunnerJobRow> page = jdbc.query("export runner jobs", "SELECT " + COLUMNS
        + " FROM runner_jobs WHERE created_at >= ? ORDER BY created_at, id LIMIT " + pageRows, RunnerJobStore::map, since);
    while (!page.isEmpty()) {
      page.forEach(action);
      if (page.size() < pageRows) {
        return;
      }
      RunnerJobRow last = page.get(page.size() - 1);
      page = jdbc.query("export runner jobs", "SELECT " + COLUMNS + " FROM runner_jobs"
          + " WHERE created_at > ? OR (created_at = ? AND id > ?) ORDER BY created_at, id LIMIT " + pageRows,
          RunnerJobStore::map, last.createdAt(), last.createdAt(), last.id());
    }
  }

  /** Deletes rows created strictly before {@code before}; returns how many. */
  public int sweep(Instant before) {
    return jdbc.update("sweep runner jobs", "DELETE FROM runner_jobs WHERE created_at < ?", before);
  }

  /** Deletes rows older than {@link #RETENTION}. */
  public int sweepExpired() {
    return sweep(StoreTime.now(clock).minus(RETENTION));
  }

  private static RunnerJobRow map(ResultSet rs) throws SQLException {
    return new RunnerJobRow(rs.getString("id"), Optional.ofNullable(rs.getString("runner_id")), rs.getString("env_id"),
        rs.getString("source_name"), rs.getString("kind"), rs.getString("status"), rs.getLong("duration_ms"),
        rs.getLong("row_count"), Optional.ofNullable(rs.getString("error_code")), Jdbc.instant(rs, "created_at"));
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
