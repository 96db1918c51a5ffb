package dev.lensgate.client;

/** Sort direction of an {@code orderBy} entry. */
public enum Direction {
  ASC("asc"),
  DESC("desc");

  private final String wire;

  Direction(String wire) {
    this.wire = wire;
  }

  /** The contract's spelling: {@code asc} or {@code desc}. */
  public String wire() {
    return wire;
  }
}
