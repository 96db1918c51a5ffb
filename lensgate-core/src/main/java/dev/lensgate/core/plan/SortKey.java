package dev.lensgate.core.plan;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code orderBy} term: a lens field and a direction. NULLs sort as larger than every value:
 * last when ascending, first when descending, on every database and in memory.
 */
public record SortKey(String field, Direction direction) {
  public enum Direction {
    ASC, DESC;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code asc}/{@code desc} in any case, or empty for anything else. */
    static java.util.Optional<Direction> fromWire(String s) {
      if ("asc".equalsIgnoreCase(s)) {
        return java.util.Optional.of(ASC);
      }
      if ("desc".equalsIgnoreCase(s)) {
        return java.util.Optional.of(DESC);
      }
      return java.util.Optional.empty();
    }
  }

  public SortKey {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(direction, "direction");
  }

  public static SortKey asc(String field) {
    return new SortKey(field, Direction.ASC);
  }

  public static SortKey desc(String field) {
    return new SortKey(field, Direction.DESC);
  }

  public boolean descending() {
    return direction == Direction.DESC;
  }
}
