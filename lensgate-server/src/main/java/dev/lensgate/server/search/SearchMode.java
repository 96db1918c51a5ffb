package dev.lensgate.server.search;

import java.util.Locale;
import java.util.Optional;

/** How {@code POST /v1/search/:lens} ranks: BM25, vector KNN, or both fused by relative score ({@link ScoreFusion}). */
public enum SearchMode {
  SEMANTIC, KEYWORD, HYBRID;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<SearchMode> fromWire(String s) {
    for (SearchMode m : values()) {
      if (m.wireName().equals(s)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
