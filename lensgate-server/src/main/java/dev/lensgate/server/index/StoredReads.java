package dev.lensgate.server.index;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;

/**
 * Reads of stored fields through one acquired {@link LensSearcher}, for the write side of sync
 * ({@link LensIndexWriter}): content hashes, rows and ids. The caller acquires and closes it.
 */
final class StoredReads {
  private StoredReads() {}

  /** The stored hash of each of {@code ids} that is indexed. */
  static Map<String, String> contentHashes(LensSearcher searcher, Collection<String> ids) throws IOException {
    Map<String, String> out = new HashMap<>();
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
    return out;
  }

  /** The stored row of each of {@code ids} that is indexed and written for the searcher's shape. */
  static Map<String, Map<String, Object>> rows(LensSearcher searcher, Collection<String> ids) {
    Map<String, Map<String, Object>> out = new HashMap<>();
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
    return out;
  }

  /** Every live document's id. */
  static void forEachId(LensSearcher searcher, Consumer<String> action) throws IOException {
    for (LeafReaderContext leaf : searcher.searcher().getIndexReader().leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      StoredFields stored = leaf.reader().storedFields();
      for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
        if (live == null || live.get(doc)) {
          action.accept(stored.document(doc, Set.of(IndexFields.ID)).get(IndexFields.ID));
        }
      }
    }
  }
}
