package dev.lensgate.server.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One document to write: a source row's declared fields (as the read path returns them, before
 * transforms, see {@link dev.lensgate.core.plan.ReadResult}) and what search needs of it.
 *
 * @param id the primary key value as text (the document's identity within its lens)
 * @param row declared field → value, declaration order; never undeclared columns
 * @param text the keyword/embedding text: searchable fields' shaped text, each repeated by weight
 * @param vector the unit-length embedding of {@code text}; empty when the lens has no searchable text
 * @param contentHash hash of {@code row} and the embedder id: an equal hash means nothing to redo
 */
public record IndexRecord(String id, Map<String, Object> row, String text, Optional<float[]> vector,
    String contentHash) {
  public IndexRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(contentHash, "contentHash");
    row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
  }
}
