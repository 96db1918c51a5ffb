package dev.lensgate.client;

import java.util.Objects;

/**
 * One search or similar result.
 *
 * @param id the index entry's id
 * @param sourceRowId the primary key of the source row, as text
 * @param content the indexed text that matched (may be null)
 * @param metadata the lens's declared fields of the row
 * @param score relevance, higher is better
 */
public record SearchHit(String id, String sourceRowId, String content, Row metadata, double score) {

  public SearchHit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(metadata, "metadata");
  }
}
