package dev.lensgate.server.index;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.util.BytesRef;

/**
 * What a document stores: its id, the row (normalized values, declaration order) and the content
 * hash.
 */
public record StoredDocument(String id, Map<String, Object> row, String contentHash) {
  public StoredDocument {
    row = Collections.unmodifiableMap(row);
  }

  static StoredDocument of(Document d) {
    BytesRef bytes = d.getBinaryValue(IndexFields.ROW);
    Map<String, Object> row = bytes == null ? Map.of()
        : StoredRows.decode(Arrays.copyOfRange(bytes.bytes, bytes.offset, bytes.offset + bytes.length));
    return new StoredDocument(d.get(IndexFields.ID), row, d.get(IndexFields.HASH));
  }
}
