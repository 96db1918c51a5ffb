package dev.lensgate.server.index;

import dev.lensgate.core.index.LensDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;

/**
 * A generation being built by a full rebuild of one {@link LensIndex}; see {@link
 * LensIndexWriter.Rebuild}. Every method holds the index's write lock. The index mirrors upserts
 * and deletes that arrive meanwhile into this generation ({@link #mirrorUpdate}, {@link
 * #mirrorDelete}), so a change made during the rebuild is not lost by the swap.
 */
final class RebuildInProgress implements LensIndexWriter.Rebuild {
  private final LensIndex index;
  private final Object writeLock;
  private final Generation generation;
  private final String embedder;
  /** Fixed at the start: every document of this generation is written with it. */
  private final LensShape shape;
  private boolean done;

  RebuildInProgress(LensIndex index, Object writeLock, Generation generation, String embedder, LensShape shape) {
    this.index = index;
    this.writeLock = writeLock;
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
        throw new UncheckedIOException("rebuild write failed in " + index.directory(), e);
      }
    }
  }

  @Override
  public void commitAndSwap() {
    synchronized (writeLock) {
      requireActive();
      LensShape active = index.activeShape();
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
        GenerationDirs.writePointer(index.directory(), generation.number);
      } catch (IOException e) {
        throw new UncheckedIOException("rebuild commit failed in " + index.directory(), e);
      }
      done = true;
      index.swapIn(this, generation);
    }
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      if (done) {
        return;
      }
      done = true;
      index.forget(this);
      generation.cleanUp(true);
    }
  }

  /** An upsert made to the index while this rebuild runs. */
  void mirrorUpdate(Term id, Document doc) throws IOException {
    generation.writer.updateDocument(id, doc);
  }

  /** A delete made to the index while this rebuild runs. */
  void mirrorDelete(Term[] ids) throws IOException {
    generation.writer.deleteDocuments(ids);
  }

  /** The index is closing: drop the generation (a later call on this rebuild finds the index closed). */
  void discard() {
    generation.cleanUp(true);
  }

  private void requireActive() {
    if (done) {
      throw new IllegalStateException("this rebuild is finished");
    }
    index.ensureOpen();
  }
}
