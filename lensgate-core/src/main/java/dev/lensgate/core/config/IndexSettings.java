package dev.lensgate.core.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a lens is indexed for {@code search}/{@code similar} and kept in sync with its source.
 *
 * @param weights searchable field → weight (how many times its text is repeated in the keyword
 *     text), in declaration order; empty when the lens has no searchable field
 * @param embedder the name of the embedder ({@link #LOCAL_EMBEDDER} or a key of the config's
 *     {@code embedders:})
 * @param changeTrackingField the declared field whose value only grows when a row changes
 *     (incremental sync); empty when incremental sync is off
 * @param syncInterval how often incremental (or, without a change-tracking field, smart) sync runs
 * @param smartSyncInterval how often smart sync (full scan, hash dedup, tombstones) runs
 */
public record IndexSettings(
    Map<String, Integer> weights,
    String embedder,
    Optional<String> changeTrackingField,
    Optional<Duration> syncInterval,
    Optional<Duration> smartSyncInterval) {
  public static final String LOCAL_EMBEDDER = "local";
  public static final int MAX_WEIGHT = 10;

  public IndexSettings {
    Objects.requireNonNull(embedder, "embedder");
    Objects.requireNonNull(changeTrackingField, "changeTrackingField");
    Objects.requireNonNull(syncInterval, "syncInterval");
    Objects.requireNonNull(smartSyncInterval, "smartSyncInterval");
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      if (w.getValue() < 1 || w.getValue() > MAX_WEIGHT) {
        throw new IllegalArgumentException("weight of " + w.getKey() + " must be 1.." + MAX_WEIGHT);
      }
    }
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /** Weight 1 for every searchable field, the local embedder, no scheduled sync. */
  public static IndexSettings defaults(List<String> searchableFields) {
    Map<String, Integer> w = new LinkedHashMap<>();
    searchableFields.forEach(f -> w.put(f, 1));
    return new IndexSettings(w, LOCAL_EMBEDDER, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The weight of {@code field}, 0 when it is not searchable. */
  public int weight(String field) {
    return weights.getOrDefault(field, 0);
  }
}
