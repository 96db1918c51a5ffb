package dev.lensgate.core.config;

import java.util.Objects;

/**
 * {@code defaults}.
 *
 * @param limit the row limit of a query that names none; 1..{@link #MAX_LIMIT}
 */
public record Defaults(DefaultGrants grants, int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final Defaults STANDARD = new Defaults(DefaultGrants.OPEN, DEFAULT_LIMIT);

  public Defaults {
    Objects.requireNonNull(grants, "grants");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }
}
