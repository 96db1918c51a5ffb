package dev.lensgate.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Table {@code lens_index_state}: the durable state of each (environment, lens) index, written by
 * the sync engine and read by {@code lensgate status}. A lens gets its row the first time a gateway
 * (or the webhook, or the CLI) sees it, {@code paused}. Error messages are the value-free messages
 * of our own exceptions, cut to 500 characters. Thread-safe.
 */
public final class IndexStateStore {
  static final int MAX_MESSAGE = 500;
  static final int MAX_CURSOR = 4096;
  private static final String COLUMNS = "s.env_id, s.lens_name, s.state, s.paused, s.documents, s.rows_per_second, "
      + "s.progress_done, s.progress_total, s.last_sync_at, s.last_smart_sync_at, s.last_error_code, "
      + "s.last_error_message, s.sync_cursor, s.embedder_id, "
      + "(SELECT COUNT(*) FROM ingest_changes c WHERE c.env_id = s.env_id AND c.lens_name = s.lens_name) AS pending";

  private final Jdbc jdbc;
  private final Clock clock;

  public IndexStateStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Creates the lens's row ({@code paused}, empty) unless it exists; true if it was created. */
  public boolean ensure(String envId, String lens) {
    return jdbc.run("create index state", c -> ensure(c, envId, lens, StoreTime.now(clock)));
  }

  static boolean ensure(Connection c, String envId, String lens, Instant now) throws SQLException {
    if (Jdbc.queryOne(c, "SELECT 1 FROM lens_index_state WHERE env_id = ? AND lens_name = ?", rs -> 1, envId, lens)
        .isPresent()) {
      return false;
    }
    try {
      Jdbc.update(c, "INSERT INTO lens_index_state (env_id, lens_name, state, paused, documents, rows_per_second, "
          + "progress_done, progress_total, updated_at) VALUES (?, ?, 'paused', TRUE, 0, 0, 0, 0, ?)", envId, lens, now);
      return true;
    } catch (SQLException e) {
      if (Jdbc.isUniqueViolation(e) && c.getAutoCommit()) {
        return false;
      }
      throw e;
    }
  }

  public Optional<LensIndexStatus> get(String envId, String lens) {
    return jdbc.queryOne("read index state", "SELECT " + COLUMNS + " FROM lens_index_state s WHERE s.env_id = ? "
        + "AND s.lens_name = ?", IndexStateStore::map, envId, lens);
  }

  /** Every lens of {@code envId} with a row, by name. */
  public List<LensIndexStatus> list(String envId) {
    return jdbc.query("list index state", "SELECT " + COLUMNS + " FROM lens_index_state s WHERE s.env_id = ? "
        + "ORDER BY s.lens_name", IndexStateStore::map, envId);
  }

  /** Lifts the pause (creating the row if needed): scheduled and ingest syncs may run. */
  public void resume(String envId, String lens) {
    Instant now = StoreTime.now(clock);
    jdbc.run("resume index", c -> {
      ensure(c, envId, lens, now);
      return Jdbc.update(c, "UPDATE lens_index_state SET paused = FALSE, state = CASE WHEN state = 'paused' "
          + "THEN 'ready' ELSE state END, updated_at = ? WHERE env_id = ? AND lens_name = ?", now, envId, lens);
    });
  }

  /** A sync started: {@code indexing}, progress reset to 0 of {@code expectedRows} (0 = unknown). */
  public void started(String envId, String lens, long expectedRows) {
    Instant now = StoreTime.now(clock);
    jdbc.run("mark indexing", c -> {
      ensure(c, envId, lens, now);
      return Jdbc.update(c, "UPDATE lens_index_state SET state = 'indexing', progress_done = 0, progress_total = ?, "
          + "updated_at = ? WHERE env_id = ? AND lens_name = ?", Math.max(0, expectedRows), now, envId, lens);
    });
  }

  /** Rows processed so far by the running sync. */
  public void progress(String envId, String lens, long doneRows) {
    jdbc.update("record sync progress", "UPDATE lens_index_state SET progress_done = ?, updated_at = ? "
        + "WHERE env_id = ? AND lens_name = ?", doneRows, StoreTime.now(clock), envId, lens);
  }

  /** The incremental cursor after a committed batch (empty clears it, e.g. after a full rebuild). */
  public void saveCursor(String envId, String lens, Optional<String> cursor) {
    cursor.ifPresent(v -> {
      if (v.length() > MAX_CURSOR) {
        throw new IllegalArgumentException("cursor too long");
      }
    });
    jdbc.update("save sync cursor", "UPDATE lens_index_state SET sync_cursor = ?, updated_at = ? "
        + "WHERE env_id = ? AND lens_name = ?", Jdbc.nullableText(cursor.orElse(null)), StoreTime.now(clock), envId, lens);
  }

  /** A sync ended well: {@code ready}, the figures of the run, the error cleared. */
  public void succeeded(String envId, String lens, long documents, long rowsPerSecond, boolean smart, String embedderId) {
    Instant now = StoreTime.now(clock);
    jdbc.update("mark ready", "UPDATE lens_index_state SET state = 'ready', paused = FALSE, documents = ?, "
        + "rows_per_second = ?, progress_done = progress_total, last_sync_at = ?, "
        + "last_smart_sync_at = CASE WHEN ? THEN ? ELSE last_smart_sync_at END, last_error_code = ?, "
        + "last_error_message = ?, embedder_id = ?, updated_at = ? WHERE env_id = ? AND lens_name = ?",
        documents, rowsPerSecond, now, smart, now, Jdbc.NULL_TEXT, Jdbc.NULL_TEXT, embedderId, now, envId, lens);
  }

  /**
   * A sync failed: {@code error} or {@code disconnected} with the stable code and message; the
   * index (and its document count) stays as it was.
   */
  public void failed(String envId, String lens, IndexState state, String code, String message) {
    if (state != IndexState.ERROR && state != IndexState.DISCONNECTED) {
      throw new IllegalArgumentException("a failure is error or disconnected");
    }
    String m = message == null ? "" : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    Instant now = StoreTime.now(clock);
    jdbc.update("mark failed", "UPDATE lens_index_state SET state = ?, last_error_code = ?, last_error_message = ?, "
        + "updated_at = ? WHERE env_id = ? AND lens_name = ?", state.wireName(), code, m, now, envId, lens);
  }

  private static LensIndexStatus map(ResultSet rs) throws SQLException {
    boolean paused = rs.getBoolean("paused");
    IndexState state = IndexState.fromWire(rs.getString("state"));
    if (paused && state != IndexState.INDEXING) {
      state = IndexState.PAUSED;
    }
    return new LensIndexStatus(rs.getString("env_id"), rs.getString("lens_name"), state, paused,
        rs.getLong("documents"), rs.getLong("pending"), rs.getLong("rows_per_second"), rs.getLong("progress_done"),
        rs.getLong("progress_total"), Optional.ofNullable(Jdbc.instant(rs, "last_sync_at")),
        Optional.ofNullable(Jdbc.instant(rs, "last_smart_sync_at")), Optional.ofNullable(rs.getString("last_error_code")),
        Optional.ofNullable(rs.getString("last_error_message")), Optional.ofNullable(rs.getString("sync_cursor")),
        Optional.ofNullable(rs.getString("embedder_id")));
  }
}
