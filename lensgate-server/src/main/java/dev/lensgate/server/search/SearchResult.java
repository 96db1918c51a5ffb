package dev.lensgate.server.search;

import java.util.List;

/**
 * What a search or similar call found.
 *
 * @param hits best first, scores in [0, 1], at most the request's limit
 * @param indexBuilt false when the lens has no index generation yet (no sync has run): the hits
 *     are then empty and the response says {@code meta.indexState: "not_built"}
 */
public record SearchResult(List<SearchHit> hits, boolean indexBuilt) {
  public SearchResult {
    hits = List.copyOf(hits);
  }

  static SearchResult notBuilt() {
    return new SearchResult(List.of(), false);
  }
}
