package dev.lensgate.server.index;

import dev.lensgate.core.index.LensDocuments;
import java.util.Collections;
import java.util.Map;
import org.apache.lucene.document.Document;

/**
 * What a document stores: its id, the row (normalized values, declaration order) and the content
 * hash.
 */
public record StoredDocument(String id, Map<String, Object> row, String contentHash) {
  public StoredDocument {
    row = Collections.unmodifiableMap(row);
  }

  static StoredDocument of(Document d, LensDocuments documents) {
    return new StoredDocument(d.get(IndexFields.ID), documents.readRow(d), d.get(IndexFields.HASH));
  }
}
