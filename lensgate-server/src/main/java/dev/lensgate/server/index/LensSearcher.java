package dev.lensgate.server.index;

import dev.lensgate.core.index.LensDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A point-in-time view of the current generation; close it when done (releases the generation).
 * Not thread-safe itself; use one per request.
 */
public final class LensSearcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LensSearcher.class);

  private final Generation generation;
  private final IndexSearcher searcher;
  private final LensDocuments documents;
  private final String fingerprint;
  private boolean closed;

  LensSearcher(Generation generation, IndexSearcher searcher, LensDocuments documents, String fingerprint) {
    this.generation = generation;
    this.searcher = searcher;
    this.documents = documents;
    this.fingerprint = fingerprint;
  }

  /**
   * False when this generation's documents were written for another shape of the lens than the
   * active config's ({@link SchemaFingerprint}): its rows cannot be read back and its filter
   * fields have other types, so it must be treated as stale until a rebuild. True when the shapes
   * match, and for a generation that recorded no fingerprint (reading its rows then fails with
   * {@link StaleIndexException} if they do not match).
   */
  public boolean matchesSchema() {
    String written = generation.schemaFingerprint();
    return written == null || fingerprint == null || written.equals(fingerprint);
  }

  public IndexSearcher searcher() {
    return searcher;
  }

  public long generation() {
    return generation.number;
  }

  /**
   * The stored id, row and content hash of document {@code doc}.
   *
   * @throws StaleIndexException if the stored row was written for another shape of the lens
   */
  public StoredDocument document(int doc) {
    if (documents == null) {
      throw new IllegalStateException("the lens schema is not known; acquire through a lens config");
    }
    try {
      Document d = searcher.storedFields().document(doc);
      return StoredDocument.of(d, documents);
    } catch (IllegalStateException e) {
      throw new StaleIndexException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document number of {@code id}, if indexed. */
  public Optional<Integer> docOf(String id) {
    try {
      TopDocs top = searcher.search(new TermQuery(new Term(IndexFields.ID, id)), 1);
      return top.scoreDocs.length == 0 ? Optional.empty() : Optional.of(top.scoreDocs[0].doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stored unit vector of document {@code doc}, empty when it has none. */
  public Optional<float[]> vector(int doc) {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    try {
      org.apache.lucene.index.FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
      if (values == null) {
        return Optional.empty();
      }
      int local = doc - leaf.docBase;
      if (values.advance(local) != local) {
        return Optional.empty();
      }
      return Optional.of(values.vectorValue().clone());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      generation.searchers().release(searcher);
    } catch (IOException e) {
      LOG.warn("releasing an index searcher failed", e);
    } finally {
      generation.released();
    }
  }
}
