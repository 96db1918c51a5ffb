package dev.lensgate.server.index;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.index.LensDocuments;
import dev.lensgate.core.lens.LensSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of one lens in one environment: {@code <lensDir>/<generation>/} holds a Lucene index,
 * {@code <lensDir>/current} names the generation in use (written atomically, so a restart opens
 * the last committed one; other generation directories are leftovers and deleted on open).
 *
 * <p>Writes ({@link LensIndexWriter}) are serialized on one lock, committed before they return,
 * and the searcher is refreshed before they return, so a search that starts afterwards sees them.
 * The first write to a lens without a generation creates generation 1. While a rebuild is in
 * progress, upserts and deletes go to both the current generation and the one being built, so a
 * change that arrives during a rebuild is not lost by the swap.
 *
 * <p>Searches {@link #acquire()} a {@link LensSearcher}: the generation current at that moment, held
 * until the searcher is closed, even if a rebuild swaps in a new generation meanwhile; a retired
 * generation is closed and its directory deleted when its last searcher is released.
 */
public final class LensIndex implements LensIndexWriter, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LensIndex.class);

  private final Path lensDir;
  private final GenerationFiles files;
  private final Object writeLock = new Object();
  private volatile Generation current;
  /** The active lens config's shape; null until {@link #useSchema}. */
  private volatile LensShape shape;
  private RebuildInProgress building;
  private boolean closed;

  private LensIndex(Path lensDir) {
    this.lensDir = lensDir;
    this.files = new GenerationFiles(lensDir);
  }

  /** Opens the index in {@code lensDir} (created if absent): the generation the pointer names. */
  public static LensIndex open(Path lensDir) {
    LensIndex index = new LensIndex(lensDir);
    try {
      Files.createDirectories(lensDir);
      index.current = index.files.openPointed().orElse(null);
      index.files.deleteAllBut(index.current);
    } catch (IOException e) {
      index.close();
      throw new UncheckedIOException("cannot open index in " + lensDir, e);
    }
    return index;
  }

  public Path directory() {
    return lensDir;
  }

  /**
   * Sets the lens schema documents are encoded and decoded with (the active config's; called on
   * every lookup with a config, cheap when unchanged). Documents written under a schema with
   * other field types must be rebuilt: {@link #schemaFingerprint()} tells sync, and searchers of
   * such a generation say so ({@link LensSearcher#matchesSchema()}).
   */
  void useSchema(LensSchema schema) {
    LensShape current = shape;
    if (current == null || current.documents().lens() != schema) {
      shape = LensShape.of(schema);
    }
  }

  private LensShape shape() {
    LensShape s = shape;
    if (s == null) {
      throw new IllegalStateException("the schema of " + lensDir + " is not known yet; open it with its lens config");
    }
    return s;
  }

  private LensDocuments documents() {
    return shape().documents();
  }

  /** The generation number searches use now; empty before the first build or write. */
  public Optional<Long> generation() {
    Generation g = current;
    return g == null ? Optional.empty() : Optional.of(g.number);
  }

  /** True once a generation exists (built by a rebuild or created by a first write). */
  public boolean built() {
    return current != null;
  }

  // ---------------------------------------------------------------- search side


  /**
   * The current generation's searcher, or empty when the lens has no generation yet. The caller
   * must close it.
   */
  public Optional<LensSearcher> acquire() {
    while (true) {
      Generation g = current;
      if (g == null) {
        return Optional.empty();
      }
      g.inFlight.incrementAndGet();
      if (g.retired()) {
        g.released();
        continue; // swapped meanwhile: take the new one
      }
      try {
        LensShape s = shape;
        return Optional.of(new LensSearcher(g, g.searchers().acquire(), s == null ? null : s.documents(),
            s == null ? null : s.fingerprint()));
      } catch (AlreadyClosedException e) {
        g.released();
        if (current == g) {
          throw new LensgateException(ErrorCode.NOT_FOUND, "the index of this lens is closed");
        }
      } catch (IOException e) {
        g.released();
        throw new UncheckedIOException(e);
      }
    }
  }

  // ---------------------------------------------------------------- write side

  @Override
  public Map<String, String> contentHashes(Collection<String> ids) {
    Optional<LensSearcher> s = acquire();
    if (s.isEmpty()) {
      return new HashMap<>();
    }
    try (LensSearcher searcher = s.get()) {
      return StoredReads.contentHashes(searcher, ids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, Map<String, Object>> storedRows(Collection<String> ids) {
    if (ids.isEmpty()) {
      return new HashMap<>();
    }
    Optional<LensSearcher> s = acquire();
    if (s.isEmpty()) {
      return new HashMap<>();
    }
    try (LensSearcher searcher = s.get()) {
      return StoredReads.rows(searcher, ids);
    }
  }

  @Override
  public void upsert(List<IndexRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    synchronized (writeLock) {
      LensDocuments encoder = documents();
      Generation g = writable();
      try {
        for (IndexRecord r : records) {
          Document doc = IndexDocuments.build(r, encoder);
          g.writer.updateDocument(new Term(IndexFields.ID, r.id()), doc);
          if (building != null) {
            building.mirrorUpdate(new Term(IndexFields.ID, r.id()), doc);
          }
        }
        commitAndRefresh(g);
      } catch (IOException e) {
        throw new UncheckedIOException("index write failed in " + lensDir, e);
      }
    }
  }

  @Override
  public void delete(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    synchronized (writeLock) {
      Generation g = writable();
      try {
        Term[] terms = ids.stream().map(id -> new Term(IndexFields.ID, id)).toArray(Term[]::new);
        g.writer.deleteDocuments(terms);
        if (building != null) {
          building.mirrorDelete(terms);
        }
        commitAndRefresh(g);
      } catch (IOException e) {
        throw new UncheckedIOException("index delete failed in " + lensDir, e);
      }
    }
  }

  @Override
  public void forEachId(Consumer<String> action) {
    Optional<LensSearcher> s = acquire();
    if (s.isEmpty()) {
      return;
    }
    try (LensSearcher searcher = s.get()) {
      StoredReads.forEachId(searcher, action);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long documentCount() {
    Optional<LensSearcher> s = acquire();
    if (s.isEmpty()) {
      return 0;
    }
    try (LensSearcher searcher = s.get()) {
      return searcher.searcher().getIndexReader().numDocs();
    }
  }

  @Override
  public Optional<String> embedderId() {
    Generation g = current;
    return g == null ? Optional.empty() : Optional.ofNullable(g.embedderId());
  }

  @Override
  public Optional<String> schemaFingerprint() {
    Generation g = current;
    return g == null ? Optional.empty() : Optional.ofNullable(g.schemaFingerprint());
  }

  @Override
  public Rebuild beginRebuild(String embedderId) {
    synchronized (writeLock) {
      return begin(embedderId, shape());
    }
  }

  @Override
  public Rebuild beginRebuild(String embedderId, LensSchema schema) {
    synchronized (writeLock) {
      LensShape active = shape;
      return begin(embedderId, active != null && active.documents().lens() == schema ? active
          : LensShape.of(schema));
    }
  }

  private Rebuild begin(String embedderId, LensShape rebuildShape) {
    synchronized (writeLock) {
      ensureOpen();
      if (building != null) {
        throw new IllegalStateException("a rebuild of " + lensDir + " is already in progress");
      }
      long next = files.nextNumber(current);
      try {
        Generation g = Generation.openForRebuild(next, GenerationDirs.dir(lensDir, next));
        building = new RebuildInProgress(this, writeLock, g, embedderId, rebuildShape);
        return building;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start a rebuild in " + lensDir, e);
      }
    }
  }

  // Called by RebuildInProgress, holding the write lock.

  /** The active shape; null before the first {@link #useSchema}. */
  LensShape activeShape() {
    return shape;
  }

  /** {@code rebuild} committed {@code built}: searches use it from now on, the old one retires. */
  void swapIn(RebuildInProgress rebuild, Generation built) {
    Generation old = current;
    current = built;
    forget(rebuild);
    if (old != null) {
      old.retire();
    }
  }

  /** {@code rebuild} is over: upserts and deletes no longer go to it. */
  void forget(RebuildInProgress rebuild) {
    if (building == rebuild) {
      building = null;
    }
  }

  /** Closes every generation (in-flight searchers keep working until released). Idempotent. */
  @Override
  public void close() {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (building != null) {
        building.discard();
        building = null;
      }
      Generation g = current;
      if (g != null) {
        g.cleanUp(false);
      }
    }
  }

  // ---------------------------------------------------------------- internals

  private Generation writable() {
    ensureOpen();
    Generation g = current;
    if (g != null) {
      return g;
    }
    // The schema first: without it nothing may be created (a first delete used to leave an open,
    // locked generation behind when it failed here).
    String fingerprint = shape().fingerprint();
    long first = files.nextNumber(current);
    Generation created = null;
    try {
      created = Generation.open(first, GenerationDirs.dir(lensDir, first), true);
      created.stamp(null, fingerprint);
      created.writer.commit();
      created.startSearching();
      GenerationDirs.writePointer(lensDir, first);
      current = created;
      return created;
    } catch (IOException | RuntimeException e) {
      if (created != null) {
        created.cleanUp(true);
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new UncheckedIOException("cannot create the index in " + lensDir, (IOException) e);
    }
  }

  private void commitAndRefresh(Generation g) throws IOException {
    g.writer.commit();
    g.searchers().maybeRefreshBlocking();
  }

  /** Also checked by {@link RebuildInProgress}, under the write lock. */
  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("index " + lensDir + " is closed");
    }
  }
}
