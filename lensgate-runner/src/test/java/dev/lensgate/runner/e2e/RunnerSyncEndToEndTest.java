package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.execute.SourcePools;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.runner.RunnerReads;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.server.sync.ChangeListener;
import dev.lensgate.server.sync.LensSourceRows;
import dev.lensgate.server.sync.LensSync;
import dev.lensgate.server.sync.SyncResult;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync through a runner (issue 4 on issue 3's read jobs): a full build and a smart sync of a lens
 * whose source is reachable only via the runner stream the rows as one {@code read} job each,
 * for managed and runner-local credentials, and give the same documents as the table holds.
 */
class RunnerSyncEndToEndTest {
  private static final long SEED = 20261123L;
  @TempDir Path dataDir;
  @TempDir Path indexDir;

  /** No searchable fields in these lenses: the embedder is never called, only its id is used. */
  private static final Embedder NO_TEXT = new Embedder() {
    @Override public String id() { return "none:1"; }

    @Override public int dimensions() { return 1; }

    @Override public List<float[]> embed(List<String> texts) {
      throw new AssertionError("nothing to embed");
    }
  };

  @Test
  void fullThenSmart_throughRunner_readJobsAndEveryRowIndexed() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      ItemsSetup.createItems(db, SEED);
      Map<String, String> runnerEnv = Map.of("LENSGATE_SOURCE_AIRGAP_URL", db.jdbcUrl(), "LENSGATE_SOURCE_AIRGAP_USER",
          db.user(), "LENSGATE_SOURCE_AIRGAP_PASSWORD", db.password());
      try (E2eGateway gw = E2eGateway.start(dataDir, Map.of())) {
        CreatedRunner edge1 = gw.createRunner(ItemsSetup.RUNNER);
        gw.push(ItemsSetup.config());
        gw.connect("managed", db.jdbcUrl(), db.user(), db.password());
        LensgateConfig config = ConfigLoader.parse(ItemsSetup.config(), "e2e.yaml").config().orElseThrow();
        RunnerReads reads = new RunnerReads(gw.gateway().dispatcher(), (env, name) -> config.source(name),
            (env, sc) -> gw.gateway().sources().credentials(env, sc.name())
                .map(c -> new JobCredentials(c.jdbcUrl(), c.user() == null ? "" : c.user(), c.password())),
            env -> gw.orgId(), Duration.ofSeconds(20));
        SourcePools noDirect = new SourcePools((env, name) -> {
          throw new LensgateException(ErrorCode.SOURCE_UNREACHABLE, "direct reads are not expected here");
        }, Duration.ofSeconds(1), 1);
        var ds = gw.gateway().store().dataSource();
        IndexStateStore states = new IndexStateStore(ds, Clock.systemUTC());
        SyncQueueStore queue = new SyncQueueStore(ds, Clock.systemUTC());
        try (InProcessRunner runner = InProcessRunner.startOnline(gw.port(), ItemsSetup.RUNNER,
            edge1.token().revealUtf8(), runnerEnv); LensIndexes indexes = new LensIndexes(indexDir)) {
          LensSync sync = new LensSync(new LensSourceRows(new LensReader(noDirect, new ReadPlanner(new CursorCodec(
              new byte[32])), reads), noDirect, Optional.of(reads)), indexes::writer, (env, l) -> NO_TEXT, states, queue,
              ChangeListener.NONE, LensSync.DEFAULT_BATCH_ROWS);
          for (String name : List.of("managed", "airgap")) {
            LensConfig lens = config.lens(name).orElseThrow();
            SyncResult full = sync.run(gw.envId(), lens, SyncMode.SMART);
            assertThat(full.ok()).as("%s %s", name, full).isTrue();
            assertThat(full.mode()).isEqualTo(SyncMode.FULL);
            assertThat(indexes.writer(gw.envId(), lens).documentCount()).isEqualTo(ItemsSetup.ROWS);
            System.out.printf("full sync via runner (%s): %d rows, %d rows/s%n", name, full.rowsRead(), full.rowsPerSecond());
          }
          db.execute("UPDATE items SET name = 'renamed' WHERE id IN (4, 5)", "DELETE FROM items WHERE id = 6");
          LensConfig managed = config.lens("managed").orElseThrow();
          SyncResult smart = sync.run(gw.envId(), managed, SyncMode.SMART);
          assertThat(smart.ok()).as("%s", smart).isTrue();
          assertThat(smart.upserted()).isEqualTo(2);
          assertThat(smart.deleted()).isEqualTo(1);
          Set<String> ids = new HashSet<>();
          indexes.writer(gw.envId(), managed).forEachId(ids::add);
          assertThat(ids).hasSize(ItemsSetup.ROWS - 1).doesNotContain("6");
        } finally {
          noDirect.close();
        }
        gw.gateway().flushRunnerLedger();
        assertThat(gw.gateway().runnerJobs().since(Instant.EPOCH)).filteredOn(j -> j.kind().equals("read"))
            .extracting(RunnerJobRow::status).hasSize(3).containsOnly("succeeded");
      }
    }
  }
}
