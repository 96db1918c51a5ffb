package dev.lensgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.index.SchemaFingerprint;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config that changes the lens's shape while a full rebuild runs: the rebuild, which read the
 * source with the old config, is not swapped in (no generation mixes or mislabels shapes), the old
 * generation keeps serving, no change event is sent, and a full rebuild is queued; that one,
 * run with the new config, swaps in documents of the new shape.
 */
class RebuildShapeChangeTest {
  private static final int ROWS = 1200;

  @TempDir Path dir;

  @Test
  void shapeChangesMidRebuild_rebuildDiscardedAndQueuedAgain_thenTheNewShapeIsBuilt() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, ROWS);
      assertThat(f.run(SyncMode.FULL).ok()).isTrue();
      long generation = f.indexes.index(f.env(), f.lens).generation().orElseThrow();
      String oldShape = SchemaFingerprint.of(f.lens.schema());
      f.source.execute("UPDATE items SET body = 'rewritten'");
      f.events.clear();
      LensConfig changed = SchemaChangeSyncTest.versionAsNumber();
      AtomicInteger calls = new AtomicInteger();
      // During the second batch, a request under the newly pushed config looks the lens up.
      Embedder pushesMidway = new Embedder() {
        @Override
        public String id() {
          return f.embedder.get().id();
        }

        @Override
        public int dimensions() {
          return f.embedder.get().dimensions();
        }

        @Override
        public List<float[]> embed(List<String> texts) {
          if (calls.incrementAndGet() == 2) {
            f.indexes.writer(f.env(), changed);
          }
          return f.embedder.get().embed(texts);
        }
      };
      LensSync sync = new LensSync(new LensSourceRows(new LensReader(f.pools, new ReadPlanner(new CursorCodec(
          new byte[32]))), f.pools, Optional.empty()), f.indexes::writer, (env, l) -> pushesMidway, f.states, f.queue,
          f.events::add, LensSync.DEFAULT_BATCH_ROWS);

      SyncResult r = sync.run(f.env(), f.lens, SyncMode.FULL);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.upserted()).isZero();
      assertThat(calls.get()).isGreaterThanOrEqualTo(3); // the whole source was read before the check
      assertThat(f.indexes.index(f.env(), f.lens).generation()).contains(generation);
      assertThat(f.writer().schemaFingerprint()).contains(oldShape);
      assertThat(f.events).isEmpty();
      assertThat(f.queue.jobs(f.env(), "items")).anySatisfy(job -> {
        assertThat(job.status()).isEqualTo(SyncRequest.QUEUED);
        assertThat(job.mode()).isEqualTo(SyncMode.FULL);
      });

      SyncResult again = f.sync.run(f.env(), changed, SyncMode.FULL);

      assertThat(again.ok()).as("%s", again).isTrue();
      assertThat(f.indexes.writer(f.env(), changed).schemaFingerprint()).contains(SchemaFingerprint.of(changed.schema()));
      assertThat(f.indexes.index(f.env(), changed).generation().orElseThrow()).isGreaterThan(generation);
      assertThat(f.writer().documentCount()).isEqualTo(ROWS);
    }
  }
}
