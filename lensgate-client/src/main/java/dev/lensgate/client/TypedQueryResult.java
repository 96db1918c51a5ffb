package dev.lensgate.client;

import java.util.List;

/**
 * One page of a query answer with each row mapped to {@code T} by Jackson (records, beans, or
 * anything with a {@code @JsonCreator}). Fields of the row that {@code T} lacks are ignored, so a
 * lens can gain fields without breaking callers. Immutable if {@code T} is.
 */
public final class TypedQueryResult<T> extends QueryPage<T> {
  TypedQueryResult(List<T> rows, QueryMeta meta, String requestId) {
    super(rows, meta, requestId);
  }
}
