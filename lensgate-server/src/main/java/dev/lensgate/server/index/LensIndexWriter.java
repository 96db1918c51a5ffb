package dev.lensgate.server.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The write side of one environment's index of one lens, used by sync and ingest. Every method is
 * durable on return (committed), and searches see either the state before or after it, never a
 * partial batch. Thread-safe; writes to one lens are serialized by the implementation.
 */
public interface LensIndexWriter {
  /** The stored content hash of each of {@code ids} that is indexed (absent ids are left out). */
  Map<String, String> contentHashes(Collection<String> ids);

  /**
   * The stored row (declared fields) of each of {@code ids} that is indexed; absent ids, and rows
   * written for another shape of the lens, are left out. Live streams need the row a change
   * replaces to know who could see it.
   */
  Map<String, Map<String, Object>> storedRows(Collection<String> ids);

  /** Adds or replaces the documents of {@code records}, by id. */
  void upsert(List<IndexRecord> records);

  /** Removes the documents with {@code ids}; unknown ids are ignored. */
  void delete(Collection<String> ids);

  /** Every indexed id, in no particular order (smart sync's tombstone pass). */
  void forEachId(Consumer<String> action);

  long documentCount();

  /**
   * Starts a full rebuild into a fresh index generation; searches keep using the current one until
   * {@link Rebuild#commitAndSwap()}, which replaces it atomically.
   *
   * @param embedderId the embedder the new generation is built with
   */
  Rebuild beginRebuild(String embedderId);

  /**
   * Like {@link #beginRebuild(String)}, with every document of the new generation encoded for
   * {@code schema} (the lens config the rebuild reads the source with), whatever config other
   * callers use meanwhile. {@link Rebuild#commitAndSwap()} refuses with a
   * {@link RebuildOutdatedException} when the lens's active shape is another one by then.
   */
  Rebuild beginRebuild(String embedderId, dev.lensgate.core.lens.LensSchema schema);

  /** The embedder id the current generation was built with, empty before the first build. */
  java.util.Optional<String> embedderId();

  /**
   * The {@link SchemaFingerprint} of the lens shape the current generation's documents were
   * written with; empty before the first build and for a generation written before fingerprints
   * were recorded. Sync rebuilds when it is not the lens's current fingerprint.
   */
  java.util.Optional<String> schemaFingerprint();

  /** A rebuild in progress. Closing it without {@link #commitAndSwap()} discards it. */
  interface Rebuild extends AutoCloseable {
    void add(List<IndexRecord> records);

    /**
     * Commits the new generation and makes it the one searches use.
     *
     * @throws RebuildOutdatedException when the lens's active shape is no longer the one this
     *     rebuild writes; nothing is swapped (close it to discard it)
     */
    void commitAndSwap();

    @Override
    void close();
  }
}
