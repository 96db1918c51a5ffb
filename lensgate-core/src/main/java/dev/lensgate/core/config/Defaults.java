package dev.lensgate.core.config;

import dev.lensgate.core.plan.QueryRequest;
import java.util.Objects;

/**
 * {@code defaults}.
 *
 * @param limit the row limit of a query that names none; 1..{@link #MAX_LIMIT}
 */
public record Defaults(DefaultGrants grants, int limit) {
  /** The query contract's own default and cap, so the config cannot disagree with the request parser. */
  public static final int DEFAULT_LIMIT = QueryRequest.DEFAULT_LIMIT;
  public static final int MAX_LIMIT = QueryRequest.MAX_LIMIT;
  public static final Defaults STANDARD = new Defaults(DefaultGrants.OPEN, DEFAULT_LIMIT);

  public Defaults {
    Objects.requireNonNull(grants, "grants");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }
}
