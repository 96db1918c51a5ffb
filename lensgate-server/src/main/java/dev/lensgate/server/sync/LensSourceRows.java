package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.plan.JdbcReadExecutor;
import dev.lensgate.core.plan.KeysetPosition;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.plan.ReadResult;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.plan.SortKey;
import dev.lensgate.core.where.Filter;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.execute.SourcePools;
import dev.lensgate.server.runner.RunnerReads;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * {@link SourceRows} over the query path's own planner and executors: a keyset page walk through
 * {@link LensReader} (direct JDBC, or {@code query} jobs for sources with runners), and for a
 * primary-key-ordered scan of a runner source one streamed {@code read} job
 * ({@link RunnerReads#readAll}) instead of a job per page. Counting uses the same {@code where}
 * compiler ({@code JdbcReadExecutor.count} directly, a {@code count} job through runners).
 */
public final class LensSourceRows implements SourceRows {
  private final LensReader reader;
  private final SourcePools pools;
  private final Optional<RunnerReads> runners;

  public LensSourceRows(LensReader reader, SourcePools pools, Optional<RunnerReads> runners) {
    this.reader = reader;
    this.pools = pools;
    this.runners = runners;
  }

  @Override
  public void scan(String envId, LensConfig lens, Filter filter, List<SortKey> orderBy, int batchRows,
      Consumer<List<Map<String, Object>>> onBatch) {
    int pageRows = Math.max(1, Math.min(batchRows, QueryRequest.MAX_LIMIT));
    List<String> select = List.copyOf(lens.schema().fields().keySet());
    boolean pkOrder = orderBy.size() == 1 && orderBy.get(0).equals(SortKey.asc(lens.schema().primaryKey()));
    if (pkOrder && runners.isPresent() && streamed(envId, lens, filter, pageRows, onBatch)) {
      return;
    }
    ReadSpec spec = new ReadSpec(lens.name(), filter, orderBy, pageRows, 0, Optional.empty(), select);
    while (true) {
      ReadResult page = reader.read(envId, lens, spec);
      if (!page.rows().isEmpty()) {
        onBatch.accept(page.rows());
      }
      if (page.nextCursor().isEmpty() || page.rows().isEmpty()) {
        return;
      }
      Map<String, Object> last = page.rows().get(page.rows().size() - 1);
      List<Object> position = new ArrayList<>(orderBy.size());
      for (SortKey k : orderBy) {
        position.add(last.get(k.field()));
      }
      spec = spec.withAfter(new KeysetPosition(position));
    }
  }

  private boolean streamed(String envId, LensConfig lens, Filter filter, int pageRows,
      Consumer<List<Map<String, Object>>> onBatch) {
    List<Map<String, Object>> pending = new ArrayList<>(pageRows);
    OptionalLong delivered = runners.get().readAll(envId, lens, filter, chunk -> {
      for (Map<String, Object> row : chunk) {
        pending.add(row);
        if (pending.size() == pageRows) {
          onBatch.accept(List.copyOf(pending));
          pending.clear();
        }
      }
    });
    if (delivered.isEmpty()) {
      return false;
    }
    if (!pending.isEmpty()) {
      onBatch.accept(List.copyOf(pending));
    }
    return true;
  }

  @Override
  public OptionalLong count(String envId, LensConfig lens, Filter filter) {
    ReadSpec spec = new ReadSpec(lens.name(), filter, List.of(SortKey.asc(lens.schema().primaryKey())), 1, 0,
        Optional.empty(), List.of(lens.schema().primaryKey()));
    if (runners.isPresent()) {
      OptionalLong viaRunner = runners.get().count(envId, lens, spec);
      if (viaRunner.isPresent()) {
        return viaRunner;
      }
    }
    SourcePools.Pool pool = pools.pool(envId, lens.source());
    try (Connection c = pools.connection(pool)) {
      return OptionalLong.of(new JdbcReadExecutor(pool.dialect()).count(c, spec, lens.schema()));
    } catch (SQLException e) {
      throw new LensgateException(ErrorCode.SOURCE_UNREACHABLE, "the source connection failed", e);
    }
  }
}
