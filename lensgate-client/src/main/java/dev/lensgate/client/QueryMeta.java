package dev.lensgate.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code meta} of a query answer.
 *
 * @param lens the lens that answered
 * @param count rows in this page
 * @param nextCursor the cursor of the next page, or null on the last page
 * @param durationMs the gateway's time for the call
 */
public record QueryMeta(String lens, int count, String nextCursor, long durationMs) {

  public QueryMeta {
    Objects.requireNonNull(lens, "lens");
  }

  /** The cursor of the next page; empty on the last page. */
  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }
}
