package dev.lensgate.client;

import java.util.List;
import java.util.Optional;

/**
 * What every page of a query answer carries, whatever its rows are mapped to: the rows in order,
 * the {@code meta}, and the request id. The public page types are {@link QueryResult} (rows as
 * {@link Row}) and {@link TypedQueryResult} (rows mapped to a caller's type). Immutable if the
 * rows are.
 *
 * <p>Package-private, and its methods deliberately not {@code final}: javac then adds public
 * bridge methods to each public subclass, so reflection and tools see them as members of
 * {@code QueryResult} and {@code TypedQueryResult} themselves. Both subclasses are final.
 */
abstract class QueryPage<R> {
  private final List<R> rows;
  private final QueryMeta meta;
  private final String requestId;

  QueryPage(List<R> rows, QueryMeta meta, String requestId) {
    this.rows = List.copyOf(rows);
    this.meta = meta;
    this.requestId = requestId;
  }

  /** The rows of this page, in order. */
  public List<R> rows() {
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

  /** Counts only, never row values: a page's {@code toString} may end up in a log. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[rows=" + rows.size() + ", meta=" + meta + "]";
  }
}
