package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.plan.SortKey;
import dev.lensgate.core.where.Filter;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * How a sync reads its lens from the source: declared fields only, values normalized as the query
 * path returns them. Failures are {@link dev.lensgate.core.error.LensgateException}s with the query
 * path's codes ({@code source_unreachable}, {@code runner_failed}, ...).
 */
public interface SourceRows {
  /**
   * Every row matching {@code filter}, in {@code orderBy} order (which includes the primary key),
   * in batches of at most {@code batchRows}, on the calling thread. A consumer's exception stops
   * the scan and propagates.
   */
  void scan(String envId, LensConfig lens, Filter filter, List<SortKey> orderBy, int batchRows,
      Consumer<List<Map<String, Object>>> onBatch);

  /** The rows matching {@code filter}, when the source can count them cheaply; empty otherwise. */
  OptionalLong count(String envId, LensConfig lens, Filter filter);
}
