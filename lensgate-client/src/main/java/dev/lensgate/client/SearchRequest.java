package dev.lensgate.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/search/:lens}. Immutable; unset parts take the gateway's defaults
 * ({@code limit} 10, {@code minScore} 0, the lens's default mode).
 *
 * <pre>{@code SearchRequest.of("waterproof hiking boots").mode(SearchMode.HYBRID).limit(5)}</pre>
 */
public final class SearchRequest {
  private final String query;
  private final Integer limit;
  private final Double minScore;
  private final SearchMode mode;
  private final Where where;

  private SearchRequest(String query, Integer limit, Double minScore, SearchMode mode, Where where) {
    this.query = query;
    this.limit = limit;
    this.minScore = minScore;
    this.mode = mode;
    this.where = where;
  }

  public static SearchRequest of(String query) {
    Objects.requireNonNull(query, "query");
    if (query.isBlank()) {
      throw new IllegalArgumentException("search query is blank");
    }
    return new SearchRequest(query, null, null, null, null);
  }

  /** At most this many results (at least 1). */
  public SearchRequest limit(int limit) {
    return new SearchRequest(query, SimilarRequest.checkLimit(limit), minScore, mode, where);
  }

  /** Drop results scoring below this (finite, not negative). */
  public SearchRequest minScore(double minScore) {
    return new SearchRequest(query, limit, SimilarRequest.checkMinScore(minScore), mode, where);
  }

  public SearchRequest mode(SearchMode mode) {
    return new SearchRequest(query, limit, minScore, Objects.requireNonNull(mode, "mode"), where);
  }

  /** Only results whose row matches this filter. */
  public SearchRequest where(Where where) {
    return new SearchRequest(query, limit, minScore, mode, Objects.requireNonNull(where, "where"));
  }

  Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    Query.putIfSet(body, "limit", limit);
    Query.putIfSet(body, "minScore", minScore);
    Query.putIfSet(body, "mode", mode == null ? null : mode.wire());
    Query.putIfSet(body, "where", where == null ? null : where.toMap());
    return Collections.unmodifiableMap(body);
  }

  @Override
  public String toString() {
    return "SearchRequest" + toBody();
  }
}
