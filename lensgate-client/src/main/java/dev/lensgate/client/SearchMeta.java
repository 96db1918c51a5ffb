package dev.lensgate.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code meta} of a search or similar answer.
 *
 * @param lens the lens that answered
 * @param query the search text, null for {@code similar}
 * @param mode the mode used ({@code semantic}, {@code keyword}, {@code hybrid}), null if not sent
 * @param count results in the answer
 * @param durationMs the gateway's time for the call
 * @param indexState empty when the lens's index is ready; {@code "not_built"} when no sync has
 *     run yet, {@code "stale"} when the lens's fields changed and the index is being rebuilt. In
 *     both cases the results are empty because of the index, not because nothing matched.
 */
public record SearchMeta(String lens, String query, String mode, int count, long durationMs,
    Optional<String> indexState) {

  public SearchMeta {
    Objects.requireNonNull(indexState, "indexState");
  }

  /** A meta for a ready index (no {@code indexState}). */
  public SearchMeta(String lens, String query, String mode, int count, long durationMs) {
    this(lens, query, mode, count, durationMs, Optional.empty());
  }
}
