package dev.lensgate.server.execute;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.plan.JdbcReadExecutor;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.core.plan.ReadResult;
import dev.lensgate.core.plan.ReadSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.SQLDialect;

/**
 * The execute step in direct mode: borrows a pooled connection to the lens's source, fetches one
 * page with the shared JDBC executor (the same one a runner uses, which never holds the cursor
 * key), and lets the planner sign the next-page cursor. Sources assigned to runners are read
 * through {@link RemoteReads} instead; the planner signs their cursors the same way.
 */
public final class LensReader {
  private final SourcePools pools;
  private final ReadPlanner planner;
  private final RemoteReads remote;
  private final Map<SQLDialect, JdbcReadExecutor> executors = new ConcurrentHashMap<>();

  public LensReader(SourcePools pools, ReadPlanner planner) {
    this(pools, planner, RemoteReads.NONE);
  }

  /** @param remote reads of sources assigned to runners; the rest are read directly */
  public LensReader(SourcePools pools, ReadPlanner planner, RemoteReads remote) {
    this.pools = pools;
    this.planner = planner;
    this.remote = remote;
  }

  public ReadResult read(String envId, LensConfig lens, ReadSpec spec) {
    Optional<ReadPage> viaRunner = remote.fetch(envId, lens, spec);
    if (viaRunner.isPresent()) {
      return planner.complete(spec, viaRunner.get(), envId);
    }
    SourcePools.Pool pool = pools.pool(envId, lens.source());
    JdbcReadExecutor executor = executors.computeIfAbsent(pool.dialect(), JdbcReadExecutor::new);
    ReadPage page;
    try (Connection c = pools.connection(pool)) {
      page = executor.fetch(c, spec, lens.schema());
    } catch (SQLException e) {
      // Only close() can land here; the executor translates its own failures.
      throw new LensgateException(ErrorCode.SOURCE_UNREACHABLE, "the source connection failed", e);
    }
    return planner.complete(spec, page, envId);
  }
}
