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
    return jdbc.query("export runner jobs", "SELECT " + COLUMNS + " FROM runner_jobs WHERE created_at >= ? ORDER BY created_at, id",
        RunnerJobStore::map, since);
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
