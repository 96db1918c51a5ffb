package dev.lensgate.client;

import java.util.List;
import java.util.Optional;

/**
 * One page of a query answer with each row mapped to {@code T} by Jackson (records, beans, or
 * anything with a {@code @JsonCreator}). Fields of the row that {@code T} lacks are ignored, so a
 * lens can gain fields without breaking callers. Immutable if {@code T} is.
 */
public final class TypedQueryResult<T> {
  private final List<T> rows;
  private final QueryMeta meta;
  private final String requestId;

  TypedQueryResult(List<T> rows, QueryMeta meta, String requestId) {
    this.rows = List.copyOf(rows);
    this.meta = meta;
    this.requestId = requestId;
  }

  public List<T> rows() {
    return rows;
  }

  public Optional<String> nextCursor() {
    return meta.next();
  }

  public QueryMeta meta() {
    return meta;
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Override
  public String toString() {
    return "TypedQueryResult[rows=" + rows.size() + ", meta=" + meta + "]";
  }
}
