package dev.lensgate.server.store;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The {@code request_log} table: batched appends and a 30-day retention sweep. Thread-safe.
 */
public final class RequestLogStore {
  /** Rows older than this are deleted by {@link #sweepExpired()}. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private final Jdbc jdbc;
  private final Clock clock;

  public RequestLogStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Inserts {@code rows} in one batch; over-long ids and routes are cut to their column widths. */
  public int append(List<RequestLogRow> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    return jdbc.inTransaction("append request log", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO request_log (request_id, env_id, key_id, "
          + "route_template, status, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (RequestLogRow r : rows) {
          Jdbc.bind(ps, cut(r.requestId(), 64), Jdbc.nullableText(cut(r.envId(), 32)), Jdbc.nullableText(cut(r.keyId(), 32)),
              cut(r.routeTemplate(), 200), r.status(), Math.max(0, r.durationMs()),
              r.createdAt().truncatedTo(ChronoUnit.MICROS));
          ps.addBatch();
        }
        ps.executeBatch();
        return rows.size();
      }
    });
  }

  /** Deletes rows created strictly before {@code before}; returns how many. */
  public int sweep(Instant before) {
    return jdbc.update("sweep request log", "DELETE FROM request_log WHERE created_at < ?", before);
  }

  /** Deletes rows older than {@link #RETENTION}: a row exactly 30 days old is kept, one a microsecond older is not. */
  public int sweepExpired() {
    return sweep(StoreTime.now(clock).minus(RETENTION));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
