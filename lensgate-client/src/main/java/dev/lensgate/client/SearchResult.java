package dev.lensgate.client;

import java.util.List;
import java.util.Optional;

/** The answer of {@code search} or {@code similar}: results best first. Immutable. */
public final class SearchResult {
  private final List<SearchHit> results;
  private final SearchMeta meta;
  private final String requestId;

  SearchResult(List<SearchHit> results, SearchMeta meta, String requestId) {
    this.results = List.copyOf(results);
    this.meta = meta;
    this.requestId = requestId;
  }

  public List<SearchHit> results() {
    return results;
  }

  public SearchMeta meta() {
    return meta;
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Override
  public String toString() {
    return "SearchResult[results=" + results.size() + ", meta=" + meta + "]";
  }
}
