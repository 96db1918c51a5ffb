package dev.lensgate.core.index;

import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.InMemoryPredicate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Test fixture: rows of one lens indexed with {@link LensDocuments} in an in-memory directory,
 * spread over several segments (random flushes) with a few deleted and re-added documents, so
 * per-segment code paths and deletions are exercised. Ids are the rows' primary key values.
 */
final class IndexedRows implements AutoCloseable {
  private final LensSchema lens;
  private final LensDocuments documents;
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  IndexedRows(LensSchema lens, List<Map<String, Object>> rows, Random random) {
    this.lens = lens;
    this.documents = new LensDocuments(lens);
    try {
      IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE);
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (Map<String, Object> row : rows) {
          writer.addDocument(document(row));
          if (random.nextInt(4) == 0) {
            writer.flush();
          }
          if (random.nextInt(6) == 0) {
            // Delete and re-add: deleted documents must never be matched.
            writer.deleteDocuments(new Term(LensDocuments.ID_FIELD, id(row)));
            writer.addDocument(document(row));
          }
        }
        writer.commit();
      }
      this.reader = DirectoryReader.open(directory);
      this.searcher = new IndexSearcher(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Document document(Map<String, Object> row) {
    Document doc = documents.document(row);
    doc.add(new StringField(LensDocuments.ID_FIELD, id(row), Field.Store.NO));
    return doc;
  }

  private String id(Map<String, Object> row) {
    return String.valueOf(row.get(lens.primaryKey()));
  }

  IndexSearcher searcher() {
    return searcher;
  }

  int segments() {
    return reader.leaves().size();
  }

  /** Primary keys (as text) of the documents {@code query} matches. */
  Set<String> idsMatching(Query query) {
    try {
      TopDocs top = searcher.search(query, Math.max(1, reader.maxDoc()));
      StoredFields stored = searcher.storedFields();
      Set<String> ids = new TreeSet<>();
      for (ScoreDoc sd : top.scoreDocs) {
        ids.add(String.valueOf(documents.readRow(stored, sd.doc).get(lens.primaryKey())));
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every stored row, read back. */
  List<Map<String, Object>> storedRows() {
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      StoredFields stored = searcher.storedFields();
      TopDocs all = searcher.search(new org.apache.lucene.search.MatchAllDocsQuery(), Math.max(1, reader.maxDoc()));
      for (ScoreDoc sd : all.scoreDocs) {
        out.add(documents.readRow(stored, sd.doc));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@link InMemoryPredicate} selects from {@code rows}, as primary keys (text). */
  static Set<String> expectedIds(Filter filter, List<Map<String, Object>> rows, String primaryKey) {
    Set<String> ids = new TreeSet<>();
    for (Map<String, Object> row : rows) {
      if (InMemoryPredicate.test(filter, row)) {
        ids.add(String.valueOf(row.get(primaryKey)));
      }
    }
    return ids;
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
