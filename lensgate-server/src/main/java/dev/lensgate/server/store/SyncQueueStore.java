package dev.lensgate.server.store;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tables {@code sync_requests} and {@code ingest_changes}: the durable work queue of index syncs.
 *
 * <p>Ingest ({@link #ingest}) writes its changes and finds-or-queues the lens's job in one
 * transaction, serialized per lens by a row lock on {@code lens_index_state}: when it returns, the
 * changes are committed (a crash right after loses nothing) and concurrent calls for one lens
 * coalesce into one queued job. The debounce is {@code not_before}: each coalesced call pushes it
 * to now + debounce, at most {@link #MAX_DEBOUNCE_HOLD} after the job was first queued, so a
 * constant stream of calls cannot starve it.
 *
 * <p>Gateways {@link #claimDue claim} due jobs by moving them {@code queued → running} with a
 * conditional update (one winner), and {@link #finish} them. A records job consumes the buffer
 * up to the highest sequence it read ({@link #consumeChanges}). Thread-safe.
 */
public final class SyncQueueStore {
  /** A burst never holds its job back longer than this after the first call. */
  public static final Duration MAX_DEBOUNCE_HOLD = Duration.ofSeconds(10);
  public static final int MAX_RECORD_ID_CHARS = 4096;
  private static final String COLUMNS = "id, env_id, lens_name, mode, origin, status, requested_at, not_before, "
      + "finished_at, error_code";

  private final Jdbc jdbc;
  private final Clock clock;
  private final Ids ids = new Ids();

  public SyncQueueStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Buffers an ingest call durably and returns its job.
   *
   * @param mode {@code full}, {@code incremental} or {@code records}
   * @param changes record id → delete? (records mode only; the caller rejected duplicates)
   * @param requestId the HTTP request id, kept with each change for tracing
   * @param debounce how long the job waits for more calls
   */
  public IngestReceipt ingest(String envId, String lens, SyncMode mode, Map<String, Boolean> changes, String requestId,
      Duration debounce) {
    if (mode == SyncMode.SMART) {
      throw new IllegalArgumentException("smart is not an ingest mode");
    }
    if (mode != SyncMode.RECORDS && !changes.isEmpty()) {
      throw new IllegalArgumentException("changes need mode records");
    }
    for (String id : changes.keySet()) {
      if (id.isEmpty() || id.length() > MAX_RECORD_ID_CHARS) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "a change id must be 1.." + MAX_RECORD_ID_CHARS + " characters");
      }
    }
    String rid = requestId.length() > 64 ? requestId.substring(0, 64) : requestId;
    Instant now = StoreTime.now(clock);
    jdbc.run("create index state", c -> IndexStateStore.ensure(c, envId, lens, now));
    return jdbc.inTransaction("buffer ingest", c -> {
      Jdbc.queryOne(c, "SELECT lens_name FROM lens_index_state WHERE env_id = ? AND lens_name = ? FOR UPDATE",
          rs -> 1, envId, lens);
      Optional<SyncRequest> pending = Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM sync_requests WHERE env_id = ? "
          + "AND lens_name = ? AND mode = ? AND status = 'queued' ORDER BY requested_at", SyncQueueStore::map,
          envId, lens, mode.wireName());
      String jobId;
      String status;
      if (pending.isPresent()) {
        jobId = pending.get().id();
        status = mode == SyncMode.RECORDS ? IngestReceipt.QUEUED : IngestReceipt.DEDUPLICATED;
        Instant hold = pending.get().requestedAt().plus(MAX_DEBOUNCE_HOLD);
        Instant next = now.plus(debounce).isAfter(hold) ? hold : now.plus(debounce);
        Jdbc.update(c, "UPDATE sync_requests SET not_before = ? WHERE id = ? AND not_before < ?", next, jobId, next);
      } else {
        jobId = ids.next();
        status = IngestReceipt.QUEUED;
        insertRequest(c, jobId, envId, lens, mode, SyncRequest.ORIGIN_INGEST, now, now.plus(debounce));
      }
      for (Map.Entry<String, Boolean> change : changes.entrySet()) {
        Jdbc.update(c, "INSERT INTO ingest_changes (env_id, lens_name, record_id, action, mode, job_id, request_id, "
            + "created_at) VALUES (?, ?, ?, ?, 'records', ?, ?, ?)", envId, lens, change.getKey(),
            change.getValue() ? "delete" : "upsert", jobId, rid, now);
      }
      return new IngestReceipt(jobId, status, changes.size());
    });
  }

  /**
   * Queues a sync (CLI or schedule), due now. A CLI request also lifts the lens's pause, as
   * {@code lensgate sync LENS} starts a paused lens.
   *
   * @return the job id
   */
  public String request(String envId, String lens, SyncMode mode, String origin) {
    Instant now = StoreTime.now(clock);
    String id = ids.next();
    jdbc.run("create index state", c -> IndexStateStore.ensure(c, envId, lens, now));
    jdbc.inTransaction("queue sync", c -> {
      insertRequest(c, id, envId, lens, mode, origin, now, now);
      if (SyncRequest.ORIGIN_CLI.equals(origin)) {
        Jdbc.update(c, "UPDATE lens_index_state SET paused = FALSE, updated_at = ? WHERE env_id = ? AND lens_name = ?",
            now, envId, lens);
      }
      return null;
    });
    return id;
  }

  public Optional<SyncRequest> find(String id) {
    return jdbc.queryOne("read sync request", "SELECT " + COLUMNS + " FROM sync_requests WHERE id = ?",
        SyncQueueStore::map, id);
  }

  /** Whether {@code lens} has a queued or running job. */
  public boolean hasOpenJob(String envId, String lens) {
    return jdbc.queryOne("find open sync", "SELECT 1 FROM sync_requests WHERE env_id = ? AND lens_name = ? "
        + "AND status IN ('queued', 'running')", rs -> 1, envId, lens).isPresent();
  }

  /** Queued jobs due at {@code now}, oldest first, at most {@code limit}. */
  public List<SyncRequest> due(int limit) {
    List<SyncRequest> rows = jdbc.query("list due syncs", "SELECT " + COLUMNS + " FROM sync_requests "
        + "WHERE status = 'queued' AND not_before <= ? ORDER BY requested_at, id", SyncQueueStore::map,
        StoreTime.now(clock));
    return rows.size() > limit ? List.copyOf(rows.subList(0, limit)) : rows;
  }

  /** Moves a due job to running; false when another worker (or node) claimed it first. */
  public boolean claim(String id) {
    Instant now = StoreTime.now(clock);
    return jdbc.update("claim sync", "UPDATE sync_requests SET status = 'running', started_at = ? WHERE id = ? "
        + "AND status = 'queued'", now, id) == 1;
  }

  /** Ends a running job; {@code errorCode} empty means done. */
  public void finish(String id, Optional<String> errorCode) {
    jdbc.update("finish sync", "UPDATE sync_requests SET status = ?, finished_at = ?, error_code = ? WHERE id = ?",
        errorCode.isPresent() ? SyncRequest.FAILED : SyncRequest.DONE, StoreTime.now(clock),
        Jdbc.nullableText(errorCode.orElse(null)), id);
  }

  /**
   * Puts jobs left {@code running} by a gateway that died back in the queue; run once when a
   * (single-node) gateway's scheduler starts, before it claims anything.
   *
   * @return how many were requeued
   */
  public int requeueRunning() {
    return jdbc.update("requeue running syncs", "UPDATE sync_requests SET status = 'queued', started_at = ? "
        + "WHERE status = 'running'", Jdbc.NULL_TIMESTAMP);
  }

  /** The buffered changes of {@code lens}, in acceptance order, at most {@code limit}. */
  public List<BufferedChange> changes(String envId, String lens, int limit) {
    List<BufferedChange> rows = jdbc.query("read ingest buffer", "SELECT seq, record_id, action FROM ingest_changes "
        + "WHERE env_id = ? AND lens_name = ? ORDER BY seq",
        rs -> new BufferedChange(rs.getLong(1), rs.getString(2), "delete".equals(rs.getString(3))), envId, lens);
    return rows.size() > limit ? List.copyOf(rows.subList(0, limit)) : rows;
  }

  /** Removes the applied changes of {@code lens} up to and including {@code maxSeq}. */
  public int consumeChanges(String envId, String lens, long maxSeq) {
    return jdbc.update("consume ingest buffer", "DELETE FROM ingest_changes WHERE env_id = ? AND lens_name = ? "
        + "AND seq <= ?", envId, lens, maxSeq);
  }

  public long pendingChanges(String envId, String lens) {
    return jdbc.queryOne("count ingest buffer", "SELECT COUNT(*) FROM ingest_changes WHERE env_id = ? AND lens_name = ?",
        rs -> rs.getLong(1), envId, lens).orElse(0L);
  }

  /** Jobs of {@code lens} with their status, newest first (tests, status). */
  public List<SyncRequest> jobs(String envId, String lens) {
    return jdbc.query("list syncs", "SELECT " + COLUMNS + " FROM sync_requests WHERE env_id = ? AND lens_name = ? "
        + "ORDER BY requested_at DESC, id", SyncQueueStore::map, envId, lens);
  }

  private static void insertRequest(Connection c, String id, String envId, String lens, SyncMode mode, String origin,
      Instant now, Instant notBefore) throws SQLException {
    Jdbc.update(c, "INSERT INTO sync_requests (id, env_id, lens_name, mode, origin, status, requested_at, not_before) "
        + "VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)", id, envId, lens, mode.wireName(), origin, now, notBefore);
  }

  private static SyncRequest map(ResultSet rs) throws SQLException {
    return new SyncRequest(rs.getString("id"), rs.getString("env_id"), rs.getString("lens_name"),
        SyncMode.fromWire(rs.getString("mode")).orElseThrow(), rs.getString("origin"), rs.getString("status"),
        Jdbc.instant(rs, "requested_at"), Jdbc.instant(rs, "not_before"),
        Optional.ofNullable(Jdbc.instant(rs, "finished_at")), Optional.ofNullable(rs.getString("error_code")));
  }
}
