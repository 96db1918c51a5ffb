package dev.lensgate.server.search;

import java.util.List;
import java.util.Objects;

/**
 * What a search or similar call found.
 *
 * @param hits best first, scores in [0, 1], at most the request's limit
 * @param index whether the index could answer: {@link IndexView#NOT_BUILT} when the lens has no
 *     index generation yet (no sync has run), {@link IndexView#STALE} when its documents were
 *     written for another shape of the lens (field types changed since; a sync rebuilds it). In
 *     both cases the hits are empty and the response says so in {@code meta.indexState}.
 */
public record SearchResult(List<SearchHit> hits, IndexView index) {
  /** The state of the index a result came from. */
  public enum IndexView {
    READY,
    NOT_BUILT,
    STALE
  }

  public SearchResult {
    hits = List.copyOf(hits);
    Objects.requireNonNull(index, "index");
  }

  /** Hits from an index that could answer. */
  public SearchResult(List<SearchHit> hits) {
    this(hits, IndexView.READY);
  }

  /** False only before the lens's first build. */
  public boolean indexBuilt() {
    return index != IndexView.NOT_BUILT;
  }

  static SearchResult notBuilt() {
    return new SearchResult(List.of(), IndexView.NOT_BUILT);
  }

  static SearchResult stale() {
    return new SearchResult(List.of(), IndexView.STALE);
  }
}
