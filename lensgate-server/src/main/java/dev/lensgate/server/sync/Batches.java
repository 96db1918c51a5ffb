package dev.lensgate.server.sync;

import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.index.IndexRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sync does with one batch: build records, compare content hashes with the index, embed
 * only what changed (or reuse stored vectors), write with one index call, and tell the
 * {@link ChangeListener} about each applied change. A batch's index write is one atomic writer
 * call, so a failure (source, embedder) never leaves half a batch applied. Thread-confined per run.
 */
final class Batches {
  private static final Logger LOG = LoggerFactory.getLogger(Batches.class);
  private final ChangeListener listener;

  Batches(ChangeListener listener) {
    this.listener = listener;
  }

  List<RecordBuilder.Pending> build(SyncRun run, List<Map<String, Object>> rows) {
    run.rowsRead += rows.size();
    List<RecordBuilder.Pending> out = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      out.add(RecordBuilder.build(run.lens, row, run.embedder.id()));
    }
    return out;
  }

  /** Embeds and upserts the rows whose content hash changed; one writer call. */
  void applyUpserts(SyncRun run, List<RecordBuilder.Pending> pending) {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, String> existing = run.writer.contentHashes(ids(pending));
    List<RecordBuilder.Pending> changed = new ArrayList<>();
    for (RecordBuilder.Pending p : pending) {
      if (!p.contentHash().equals(existing.get(p.id()))) {
        changed.add(p);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    Map<String, Map<String, Object>> before = run.writer.storedRows(ids(changed));
    run.writer.upsert(embed(run, changed));
    run.upserted += changed.size();
    changed.forEach(p -> emit(upsertEvent(run, p, before)));
  }

  /** Deletes those of {@code ids} that are indexed; one writer call. */
  void applyDeletes(SyncRun run, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Set<String> present = run.writer.contentHashes(ids).keySet();
    if (present.isEmpty()) {
      return;
    }
    List<String> gone = List.copyOf(present);
    Map<String, Map<String, Object>> before = run.writer.storedRows(gone);
    run.writer.delete(gone);
    run.deleted += gone.size();
    gone.forEach(id -> deleteEvent(run, id, before).ifPresent(this::emit));
  }

  /**
   * Like {@link #embed}, but a row whose content hash equals the old generation's keeps its stored
   * vector (same row, text and embedder): a full rebuild re-embeds only what changed.
   */
  List<IndexRecord> embedReusing(SyncRun run, List<RecordBuilder.Pending> pending, Map<String, String> before,
      StoredVectors old) {
    Map<String, IndexRecord> reused = new java.util.HashMap<>();
    List<RecordBuilder.Pending> fresh = new ArrayList<>();
    for (RecordBuilder.Pending p : pending) {
      boolean same = p.contentHash().equals(before.get(p.id()));
      Optional<float[]> vector = same && !p.text().isEmpty() ? old.vector(p.id()) : Optional.empty();
      if (same && (p.text().isEmpty() || vector.isPresent())) {
        reused.put(p.id(), p.withVector(vector));
      } else {
        fresh.add(p);
      }
    }
    Map<String, IndexRecord> embedded = new java.util.HashMap<>();
    embed(run, fresh).forEach(r -> embedded.put(r.id(), r));
    List<IndexRecord> out = new ArrayList<>(pending.size());
    for (RecordBuilder.Pending p : pending) {
      IndexRecord r = reused.get(p.id());
      out.add(r != null ? r : embedded.get(p.id()));
    }
    run.reusedVectors += reused.size();
    return out;
  }

  List<IndexRecord> embed(SyncRun run, List<RecordBuilder.Pending> pending) {
    List<String> texts = new ArrayList<>();
    for (RecordBuilder.Pending p : pending) {
      if (!p.text().isEmpty()) {
        texts.add(p.text());
      }
    }
    List<float[]> vectors = texts.isEmpty() ? List.of() : embedOrFail(run.embedder, texts);
    run.embedded += texts.size();
    List<IndexRecord> out = new ArrayList<>(pending.size());
    int next = 0;
    for (RecordBuilder.Pending p : pending) {
      out.add(p.withVector(p.text().isEmpty() ? Optional.empty() : Optional.of(vectors.get(next++))));
    }
    return out;
  }

  private static List<float[]> embedOrFail(Embedder embedder, List<String> texts) {
    List<float[]> vectors;
    try {
      vectors = embedder.embed(texts);
    } catch (LensgateException e) {
      throw e.code() == ErrorCode.EMBEDDING_FAILED ? e
          : new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedder failed", e);
    } catch (RuntimeException e) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedder failed", e);
    }
    if (vectors == null || vectors.size() != texts.size()) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedder returned the wrong number of vectors");
    }
    return vectors;
  }

  static List<String> ids(List<RecordBuilder.Pending> pending) {
    List<String> ids = new ArrayList<>(pending.size());
    pending.forEach(p -> ids.add(p.id()));
    return ids;
  }

  /** An insert or update event; {@code before} holds the replaced rows by id. */
  static ChangeListener.ChangeEvent upsertEvent(SyncRun run, RecordBuilder.Pending p,
      Map<String, Map<String, Object>> before) {
    return ChangeListener.ChangeEvent.upsert(run.envId, run.lens.name(), p.id(),
        Optional.ofNullable(before.get(p.id())), p.row());
  }

  /**
   * A delete event, or none when the deleted row could not be read back (written for another
   * lens shape): without it no subscriber can be shown to have seen the row.
   */
  static Optional<ChangeListener.ChangeEvent> deleteEvent(SyncRun run, String id,
      Map<String, Map<String, Object>> before) {
    Map<String, Object> row = before.get(id);
    return row == null ? Optional.empty()
        : Optional.of(ChangeListener.ChangeEvent.delete(run.envId, run.lens.name(), id, row));
  }

  void emit(ChangeListener.ChangeEvent event) {
    try {
      listener.changed(event);
    } catch (RuntimeException e) {
      LOG.warn("change listener failed for lens {}: {}", event.lens(), e.getClass().getSimpleName());
    }
  }
}
