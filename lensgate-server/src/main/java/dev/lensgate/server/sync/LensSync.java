package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.plan.SortKey;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.embed.EmbedderLookup;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.RebuildOutdatedException;
import dev.lensgate.server.index.SchemaFingerprint;
import dev.lensgate.server.store.BufferedChange;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.server.store.SyncRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sync of one lens of one environment, synchronously, and records its outcome in
 * {@link IndexStateStore}. Not thread-safe per lens: the {@link SyncScheduler} never runs two syncs
 * of one lens at once.
 *
 * <p>Design: every batch of source rows becomes {@link RecordBuilder.Pending} records; their
 * content hashes are compared with the index's and only changed rows are embedded and upserted
 * (one {@link LensIndexWriter#upsert} per batch, atomic by the writer's contract, so a batch is
 * never half-applied). A {@code full} sync builds a new generation and swaps it in at the end, so
 * searches keep the old index until then, and reuses the old generation's vector of every row whose
 * content hash is unchanged; when the index was never built, was built with another
 * embedder, or was written for another shape of the lens ({@link SchemaFingerprint}: field names,
 * types or primary key changed), every mode becomes {@code full}. {@code incremental} without a change-tracking field is
 * {@code smart}. The incremental cursor is saved after each committed batch; {@code incremental}
 * reads the rows at or after it (ties with the cursor are re-read and dropped by their unchanged
 * content hash).
 *
 * <p>A full rebuild embeds batch N+1 while batch N is added to the new generation
 * ({@link RebuildFeeder}, one batch ahead); its documents are all written for the lens shape the
 * sync started with. If a config with another shape becomes active before the swap, the rebuild
 * is discarded ({@link RebuildOutdatedException}), the old generation keeps serving and a new
 * {@code full} job is queued.
 *
 * <p>Failures: the source ({@code source_unreachable}, runner codes) → {@code disconnected}; the
 * embedder → {@code error} with {@code embedding_failed}; anything else → {@code error}. The index
 * keeps serving what it had. Messages are our own value-free ones.
 */
public final class LensSync {
  private static final Logger LOG = LoggerFactory.getLogger(LensSync.class);
  /** Rows read and written per batch. */
  public static final int DEFAULT_BATCH_ROWS = 500;
  /** Ingest changes one records sync applies at most (the rest wait for the next job). */
  static final int MAX_RECORDS_PER_RUN = 100_000;

  /**
   * Stands in for the embedder of a lens without searchable fields: there is no text to embed, so
   * such a lens syncs (keyword-less, filter-only documents) even when no embedder is available.
   */
  static final Embedder NO_TEXT = new Embedder() {
    @Override
    public String id() {
      return "none";
    }

    @Override
    public int dimensions() {
      return 0;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "this lens has no searchable text to embed");
    }
  };

  private final SourceRows source;
  private final IndexWriters indexes;
  private final EmbedderLookup embedders;
  private final IndexStateStore states;
  private final SyncQueueStore queue;
  private final Batches batches;
  private final int batchRows;

  public LensSync(SourceRows source, IndexWriters indexes, EmbedderLookup embedders, IndexStateStore states,
      SyncQueueStore queue, ChangeListener listener, int batchRows) {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive");
    }
    this.source = source;
    this.indexes = indexes;
    this.embedders = embedders;
    this.states = states;
    this.queue = queue;
    this.batches = new Batches(listener);
    this.batchRows = batchRows;
  }

  /**
   * Runs {@code requested} (or the mode it must become) and records the outcome. Failures are
   * returned, not thrown (only a failing metadata store while recording one can still throw).
   */
  public SyncResult run(String envId, LensConfig lens, SyncMode requested) {
    long started = System.nanoTime();
    SyncRun run = new SyncRun(envId, lens);
    SyncMode mode = requested;
    try {
      LensIndexWriter writer = indexes.writer(envId, lens);
      Embedder embedder = lens.searchableFields().isEmpty() ? NO_TEXT : embedders.forLens(envId, lens);
      mode = effectiveMode(requested, lens, writer, embedder);
      run.writer = writer;
      run.embedder = embedder;
      long expected = mode == SyncMode.RECORDS ? queue.pendingChanges(envId, lens.name()) : expectedRows(envId, lens);
      states.started(envId, lens.name(), expected);
      switch (mode) {
        case FULL:
          full(run);
          break;
        case INCREMENTAL:
          incremental(run);
          break;
        case SMART:
          smart(run);
          break;
        case RECORDS:
        default:
          records(run);
          break;
      }
      long rps = rowsPerSecond(run.rowsRead, started);
      states.succeeded(envId, lens.name(), writer.documentCount(), rps, mode == SyncMode.SMART || mode == SyncMode.FULL,
          embedder.id());
      return new SyncResult(mode, run.rowsRead, run.upserted, run.deleted, run.embedded, rps, Optional.empty());
    } catch (RebuildOutdatedException e) {
      // A config with another lens shape was pushed while this rebuild read the old one: the
      // old generation keeps serving, nothing is announced, and a rebuild with the config
      // current by then is queued (the lens stays "indexing" until it ran).
      LOG.info("lens {} changed shape during its rebuild; rebuild discarded and queued again", lens.name());
      queue.request(envId, lens.name(), SyncMode.FULL, SyncRequest.ORIGIN_SCHEDULE);
      return new SyncResult(mode, run.rowsRead, 0, 0, run.embedded, rowsPerSecond(run.rowsRead, started),
          Optional.empty());
    } catch (LensgateException e) {
      IndexState state = isSourceFailure(e.code()) ? IndexState.DISCONNECTED : IndexState.ERROR;
      LOG.warn("sync of lens {} ({}) failed: {}", lens.name(), mode.wireName(), e.code().code());
      states.failed(envId, lens.name(), state, e.code().code(), e.getMessage());
      return new SyncResult(mode, run.rowsRead, run.upserted, run.deleted, run.embedded,
          rowsPerSecond(run.rowsRead, started), Optional.of(e.code()));
    } catch (RuntimeException e) {
      // An index or store fault: never leave the lens "indexing"; the index keeps what it had.
      LOG.error("sync of lens {} ({}) failed unexpectedly: {}", lens.name(), mode.wireName(), e.getClass().getName());
      states.failed(envId, lens.name(), IndexState.ERROR, ErrorCode.INTERNAL.code(), "the sync failed unexpectedly");
      return new SyncResult(mode, run.rowsRead, run.upserted, run.deleted, run.embedded,
          rowsPerSecond(run.rowsRead, started), Optional.of(ErrorCode.INTERNAL));
    }
  }

  static boolean isSourceFailure(ErrorCode code) {
    return code == ErrorCode.SOURCE_UNREACHABLE || code == ErrorCode.RUNNER_FAILED
        || code == ErrorCode.NO_RUNNERS_ONLINE || code == ErrorCode.UPSTREAM_TIMEOUT;
  }

  private static SyncMode effectiveMode(SyncMode requested, LensConfig lens, LensIndexWriter writer, Embedder embedder) {
    Optional<String> built = writer.embedderId();
    if (built.isEmpty() || !built.get().equals(embedder.id())) {
      return SyncMode.FULL;
    }
    // Documents written for another shape (field names/types, primary key) cannot be read or
    // filtered with this one: like a new embedder, only a full rebuild makes the index usable.
    Optional<String> shape = writer.schemaFingerprint();
    if (shape.isEmpty() || !shape.get().equals(SchemaFingerprint.of(lens.schema()))) {
      return SyncMode.FULL;
    }
    if (requested == SyncMode.INCREMENTAL && lens.index().changeTrackingField().isEmpty()) {
      return SyncMode.SMART;
    }
    return requested;
  }

  private long expectedRows(String envId, LensConfig lens) {
    try {
      return source.count(envId, lens, Filters.matchAll()).orElse(0L);
    } catch (LensgateException e) {
      if (isSourceFailure(e.code())) {
        throw e; // The scan would fail the same way, after another connect timeout.
      }
      return 0; // Only the progress bar needs it.
    }
  }

  private static long rowsPerSecond(long rows, long startedNanos) {
    double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
    return Math.round(rows / seconds);
  }

  // ---- modes ----

  private void full(SyncRun run) {
    LensConfig lens = run.lens;
    Set<String> seen = new HashSet<>();
    List<ChangeListener.ChangeEvent> events = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    // Closed in reverse: the feeder finishes its last add before the rebuild is swapped or discarded.
    try (StoredVectors old = StoredVectors.of(run.writer);
        LensIndexWriter.Rebuild rebuild = run.writer.beginRebuild(run.embedder.id(), lens.schema());
        RebuildFeeder feeder = new RebuildFeeder(rebuild)) {
      source.scan(run.envId, lens, Filters.matchAll(), pkOrder(lens), batchRows, rows -> {
        List<RecordBuilder.Pending> pending = batches.build(run, rows);
        Map<String, String> before = run.writer.contentHashes(ids(pending));
        List<IndexRecord> records = batches.embedReusing(run, pending, before, old);
        feeder.add(records); // added while the next batch is read and embedded
        List<String> changed = new ArrayList<>();
        for (RecordBuilder.Pending p : pending) {
          seen.add(p.id());
          if (before.containsKey(p.id()) && !p.contentHash().equals(before.get(p.id()))) {
            changed.add(p.id());
          }
        }
        Map<String, Map<String, Object>> beforeRows = run.writer.storedRows(changed);
        for (RecordBuilder.Pending p : pending) {
          if (!p.contentHash().equals(before.get(p.id()))) {
            events.add(Batches.upsertEvent(run, p, beforeRows));
          }
        }
        run.upserted += records.size();
        run.trackCursor(rows);
        states.progress(run.envId, lens.name(), run.rowsRead);
      });
      feeder.finish();
      run.writer.forEachId(id -> {
        if (!seen.contains(id)) {
          gone.add(id);
        }
      });
      Map<String, Map<String, Object>> goneRows = run.writer.storedRows(gone);
      gone.forEach(id -> Batches.deleteEvent(run, id, goneRows).ifPresent(events::add));
      rebuild.commitAndSwap();
    }
    run.deleted += gone.size();
    states.saveCursor(run.envId, lens.name(), run.cursor);
    events.forEach(batches::emit);
  }

  private void smart(SyncRun run) {
    LensConfig lens = run.lens;
    Set<String> seen = new HashSet<>();
    source.scan(run.envId, lens, Filters.matchAll(), pkOrder(lens), batchRows, rows -> {
      List<RecordBuilder.Pending> pending = batches.build(run, rows);
      pending.forEach(p -> seen.add(p.id()));
      batches.applyUpserts(run, pending);
      run.trackCursor(rows);
      states.progress(run.envId, lens.name(), run.rowsRead);
    });
    List<String> gone = new ArrayList<>();
    run.writer.forEachId(id -> {
      if (!seen.contains(id)) {
        gone.add(id);
      }
    });
    for (int i = 0; i < gone.size(); i += batchRows) {
      batches.applyDeletes(run, gone.subList(i, Math.min(gone.size(), i + batchRows)));
    }
    if (lens.index().changeTrackingField().isPresent()) {
      states.saveCursor(run.envId, lens.name(), run.cursor);
    }
  }

  private void incremental(SyncRun run) {
    LensConfig lens = run.lens;
    String field = lens.index().changeTrackingField().orElseThrow();
    LensField tracking = lens.schema().field(field).orElseThrow();
    Optional<String> saved = states.get(run.envId, lens.name()).flatMap(LensIndexStatus::cursor);
    Filter filter = Filters.matchAll();
    if (saved.isPresent()) {
      try {
        // GTE, not GT: a row committed after the last sync with the cursor's own value (same
        // timestamp, a transaction that committed late) would otherwise be skipped until a smart
        // sync. Rows re-read at the cursor value are unchanged, so the content-hash comparison
        // drops them: no embedding, no write, no event.
        filter = Filters.compare(field, Filter.CompareOp.GTE, FieldValues.fromText(saved.get(), tracking.type()));
        run.cursor = saved;
      } catch (IllegalArgumentException e) {
        LOG.warn("stored cursor of lens {} does not fit its change-tracking field; reading all rows", lens.name());
      }
    }
    List<SortKey> order = field.equals(lens.schema().primaryKey()) ? pkOrder(lens)
        : List.of(SortKey.asc(field), SortKey.asc(lens.schema().primaryKey()));
    source.scan(run.envId, lens, filter, order, batchRows, rows -> {
      batches.applyUpserts(run, batches.build(run, rows));
      if (run.trackCursor(rows)) {
        states.saveCursor(run.envId, lens.name(), run.cursor);
      }
      states.progress(run.envId, lens.name(), run.rowsRead);
    });
  }

  private void records(SyncRun run) {
    LensConfig lens = run.lens;
    List<BufferedChange> changes = queue.changes(run.envId, lens.name(), MAX_RECORDS_PER_RUN);
    if (changes.isEmpty()) {
      return;
    }
    long maxSeq = changes.get(changes.size() - 1).seq();
    Map<String, Boolean> latest = new LinkedHashMap<>();
    LensField pk = lens.schema().primaryKeyField();
    Map<String, Object> typed = new LinkedHashMap<>();
    for (BufferedChange c : changes) {
      String id = c.recordId();
      try {
        Object value = FieldValues.fromText(id, pk.type());
        id = FieldValues.toText(value);
        typed.put(id, value);
      } catch (IllegalArgumentException e) {
        // Not a valid key of this lens: no source row can have it; an indexed one cannot either.
      }
      latest.remove(id);
      latest.put(id, c.delete());
    }
    List<String> deletes = new ArrayList<>();
    List<String> upserts = new ArrayList<>();
    latest.forEach((id, delete) -> (delete ? deletes : upserts).add(id));
    for (int i = 0; i < upserts.size(); i += batchRows) {
      List<String> chunk = upserts.subList(i, Math.min(upserts.size(), i + batchRows));
      List<Object> values = new ArrayList<>();
      chunk.forEach(id -> {
        if (typed.containsKey(id)) {
          values.add(typed.get(id));
        }
      });
      Set<String> found = new HashSet<>();
      if (!values.isEmpty()) {
        source.scan(run.envId, lens, new Filter.In(pk.name(), values, false), pkOrder(lens), batchRows, rows -> {
          List<RecordBuilder.Pending> pending = batches.build(run, rows);
          pending.forEach(p -> found.add(p.id()));
          batches.applyUpserts(run, pending);
        });
      }
      List<String> gone = new ArrayList<>();
      chunk.forEach(id -> {
        if (!found.contains(id)) {
          gone.add(id);
        }
      });
      batches.applyDeletes(run, gone);
      states.progress(run.envId, lens.name(), i + chunk.size());
    }
    for (int i = 0; i < deletes.size(); i += batchRows) {
      batches.applyDeletes(run, deletes.subList(i, Math.min(deletes.size(), i + batchRows)));
    }
    queue.consumeChanges(run.envId, lens.name(), maxSeq);
  }

  private static List<String> ids(List<RecordBuilder.Pending> pending) {
    return Batches.ids(pending);
  }

  private static List<SortKey> pkOrder(LensConfig lens) {
    return List.of(SortKey.asc(lens.schema().primaryKey()));
  }
}
