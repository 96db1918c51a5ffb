package dev.lensgate.client;

/** How {@code search} ranks: by meaning, by words, or both. */
public enum SearchMode {
  SEMANTIC("semantic"),
  KEYWORD("keyword"),
  HYBRID("hybrid");

  private final String wire;

  SearchMode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
