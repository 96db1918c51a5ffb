package dev.lensgate.client;

import java.util.List;
import java.util.Optional;

/** One page of a query answer. Immutable. */
public final class QueryResult {
  private final List<Row> rows;
  private final QueryMeta meta;
  private final String requestId;

  QueryResult(List<Row> rows, QueryMeta meta, String requestId) {
    this.rows = List.copyOf(rows);
    this.meta = meta;
    this.requestId = requestId;
  }

  /** The rows of this page, in order. */
  public List<Row> rows() {
    return rows;
  }

  /** Pass to {@link Query#cursor(String)} for the next page; empty on the last page. */
  public Optional<String> nextCursor() {
    return meta.next();
  }

  public QueryMeta meta() {
    return meta;
  }

  /** The gateway's {@code X-Request-Id} for this call, for support and log correlation. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Override
  public String toString() {
    return "QueryResult[rows=" + rows.size() + ", meta=" + meta + "]";
  }
}
