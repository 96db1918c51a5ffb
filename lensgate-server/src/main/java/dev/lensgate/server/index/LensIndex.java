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
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.Bits;
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
  private final Object writeLock = new Object();
  private volatile Generation current;
  private volatile Shape shape;
  private BuildingGeneration building;
  private boolean closed;

  /** The active lens schema's encoder and its {@link SchemaFingerprint}, swapped as one. */
  private record Shape(LensDocuments documents, String fingerprint) {}

  private LensIndex(Path lensDir) {
    this.lensDir = lensDir;
  }

  /** Opens the index in {@code lensDir} (created if absent): the generation the pointer names. */
  public static LensIndex open(Path lensDir) {
    LensIndex index = new LensIndex(lensDir);
    try {
      Files.createDirectories(lensDir);
      Optional<Long> pointed = GenerationDirs.readPointer(lensDir);
      if (pointed.isPresent() && Files.isDirectory(GenerationDirs.dir(lensDir, pointed.get()))) {
        Generation g = Generation.open(pointed.get(), GenerationDirs.dir(lensDir, pointed.get()), false);
        g.startSearching();
        index.current = g;
      }
      index.deleteStaleGenerations();
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
    Shape current = shape;
    if (current == null || current.documents().lens() != schema) {
      shape = new Shape(new LensDocuments(schema), SchemaFingerprint.of(schema));
    }
  }

  private Shape shape() {
    Shape s = shape;
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
        Shape s = shape;
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
    Map<String, String> out = new HashMap<>();
    Optional<LensSearcher> s = acquire();
    if (s.isEmpty()) {
      return out;
    }
    try (LensSearcher searcher = s.get()) {
      StoredFields stored = searcher.searcher().storedFields();
      for (String id : ids) {
        Optional<Integer> doc = searcher.docOf(id);
        if (doc.isPresent()) {
          Document d = stored.document(doc.get(), Set.of(IndexFields.HASH));
          String hash = d.get(IndexFields.HASH);
          if (hash != null) {
            out.put(id, hash);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public Map<String, Map<String, Object>> storedRows(Collection<String> ids) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    Optional<LensSearcher> s = acquire();
    if (s.isEmpty()) {
      return out;
    }
    try (LensSearcher searcher = s.get()) {
      for (String id : ids) {
        Optional<Integer> doc = searcher.docOf(id);
        if (doc.isPresent()) {
          try {
            out.put(id, searcher.document(doc.get()).row());
          } catch (StaleIndexException e) {
            // Written for another shape: its old row cannot be decoded, so nobody is told about it.
          }
        }
      }
    }
    return out;
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
            building.generation.writer.updateDocument(new Term(IndexFields.ID, r.id()), doc);
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
          building.generation.writer.deleteDocuments(terms);
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
      for (LeafReaderContext leaf : searcher.searcher().getIndexReader().leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = leaf.reader().storedFields();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          if (live == null || live.get(doc)) {
            action.accept(stored.document(doc, Set.of(IndexFields.ID)).get(IndexFields.ID));
          }
        }
      }
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
      Shape active = shape;
      return begin(embedderId, active != null && active.documents().lens() == schema ? active
          : new Shape(new LensDocuments(schema), SchemaFingerprint.of(schema)));
    }
  }

  private Rebuild begin(String embedderId, Shape rebuildShape) {
    synchronized (writeLock) {
      ensureOpen();
      if (building != null) {
        throw new IllegalStateException("a rebuild of " + lensDir + " is already in progress");
      }
      long next = nextGenerationNumber();
      try {
        Generation g = Generation.openForRebuild(next, GenerationDirs.dir(lensDir, next));
        building = new BuildingGeneration(g, embedderId, rebuildShape);
        return building;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start a rebuild in " + lensDir, e);
      }
    }
  }

  /** A generation being built; see {@link LensIndexWriter.Rebuild}. */
  private final class BuildingGeneration implements Rebuild {
    final Generation generation;
    final String embedder;
    /** Fixed at the start: every document of this generation is written with it. */
    final Shape shape;
    private boolean done;

    BuildingGeneration(Generation generation, String embedder, Shape shape) {
      this.generation = generation;
      this.embedder = embedder;
      this.shape = shape;
    }

    @Override
    public void add(List<IndexRecord> records) {
      synchronized (writeLock) {
        requireActive();
        LensDocuments encoder = shape.documents();
        try {
          for (IndexRecord r : records) {
            generation.writer.updateDocument(new Term(IndexFields.ID, r.id()), IndexDocuments.build(r, encoder));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("rebuild write failed in " + lensDir, e);
        }
      }
    }

    @Override
    public void commitAndSwap() {
      synchronized (writeLock) {
        requireActive();
        Shape active = LensIndex.this.shape;
        if (active != null && !active.fingerprint().equals(shape.fingerprint())) {
          // A config with another shape arrived meanwhile: swapping in documents of the old shape
          // would make the lens stale right away; the caller discards this and rebuilds.
          throw new RebuildOutdatedException();
        }
        try {
          generation.endBulk();
          generation.stamp(embedder, shape.fingerprint());
          generation.writer.commit();
          generation.startSearching();
          GenerationDirs.writePointer(lensDir, generation.number);
        } catch (IOException e) {
          throw new UncheckedIOException("rebuild commit failed in " + lensDir, e);
        }
        Generation old = current;
        current = generation;
        done = true;
        building = null;
        if (old != null) {
          old.retire();
        }
      }
    }

    @Override
    public void close() {
      synchronized (writeLock) {
        if (done) {
          return;
        }
        done = true;
        if (building == this) {
          building = null;
        }
        generation.cleanUp(true);
      }
    }

    private void requireActive() {
      if (done) {
        throw new IllegalStateException("this rebuild is finished");
      }
      ensureOpen();
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
        building.generation.cleanUp(true);
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
    long first = nextGenerationNumber();
    try {
      Generation created = Generation.open(first, GenerationDirs.dir(lensDir, first), true);
      created.stamp(null, shape().fingerprint());
      created.writer.commit();
      created.startSearching();
      GenerationDirs.writePointer(lensDir, first);
      current = created;
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the index in " + lensDir, e);
    }
  }

  private void commitAndRefresh(Generation g) throws IOException {
    g.writer.commit();
    g.searchers().maybeRefreshBlocking();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("index " + lensDir + " is closed");
    }
  }

  private long nextGenerationNumber() {
    long max = current == null ? 0 : current.number;
    for (long n : GenerationDirs.numbers(lensDir)) {
      max = Math.max(max, n);
    }
    return max + 1;
  }

  private void deleteStaleGenerations() {
    for (long n : GenerationDirs.numbers(lensDir)) {
      if (current == null || n != current.number) {
        Generation.deleteTree(GenerationDirs.dir(lensDir, n));
      }
    }
  }
}
