package dev.lensgate.client;

import java.util.List;

/** One page of a query answer, each row a {@link Row}. Immutable. */
public final class QueryResult extends QueryPage<Row> {
  QueryResult(List<Row> rows, QueryMeta meta, String requestId) {
    super(rows, meta, requestId);
  }
}
