package dev.lensgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full rebuild embeds the next batch while the previous one is added to the new generation
 * ({@link RebuildFeeder}); a failure on either side must fail the sync before the swap, with the
 * old generation serving unchanged and no change event.
 */
class FullRebuildFailureTest {
  private static final int ROWS = 1600; // four batches

  @TempDir Path dir;

  @Test
  void embedderFailsMidRebuild_oldGenerationKeepsServing() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      Built before = builtThenRewritten(f);
      AtomicInteger calls = new AtomicInteger();
      Embedder failsThird = delegate(f.embedder.get(), () -> {
        if (calls.incrementAndGet() == 3) {
          throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "down");
        }
      });

      SyncResult r = sync(f, f.indexes::writer, failsThird).run(f.env(), f.lens, SyncMode.FULL);

      assertThat(r.error()).contains(ErrorCode.EMBEDDING_FAILED);
      assertThat(f.status().state()).isEqualTo(IndexState.ERROR);
      assertOldGenerationServes(f, before);
    }
  }

  @Test
  void indexAddFailsMidRebuild_syncFailsAndOldGenerationKeepsServing() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      Built before = builtThenRewritten(f);
      AtomicInteger adds = new AtomicInteger();
      IndexWriters failingAdds = (env, lens) -> new FailingRebuildWriter(f.indexes.writer(env, lens), () -> {
        if (adds.incrementAndGet() == 2) {
          throw new UncheckedIOException(new IOException("disk full"));
        }
      });

      SyncResult r = sync(f, failingAdds, f.embedder.get()).run(f.env(), f.lens, SyncMode.FULL);

      assertThat(r.error()).contains(ErrorCode.INTERNAL);
      assertThat(f.status().state()).isEqualTo(IndexState.ERROR);
      // The failed add is rethrown before the next batch is handed over: the scan stops there.
      assertThat(adds.get()).isEqualTo(2);
      assertOldGenerationServes(f, before);
      // And the lens rebuilds fine afterwards.
      SyncResult again = f.run(SyncMode.FULL);
      assertThat(again.ok()).as("%s", again).isTrue();
      assertThat(f.writer().documentCount()).isEqualTo(ROWS);
      assertThat(f.writer().contentHashes(List.of("1")).get("1")).isNotEqualTo(before.hashes().get("1"));
    }
  }

  /** The generation a first full sync built and three of its hashes. */
  private record Built(long generation, Map<String, String> hashes) {}

  /** Builds {@value #ROWS} rows, then changes every row in the source so the next rebuild re-embeds all. */
  private static Built builtThenRewritten(SyncFixture f) {
    f.insert(1, ROWS);
    assertThat(f.run(SyncMode.FULL).ok()).isTrue();
    Built built = new Built(f.indexes.index(f.env(), f.lens).generation().orElseThrow(),
        f.writer().contentHashes(List.of("1", "800", "1600")));
    f.source.execute("UPDATE items SET body = 'rewritten'");
    f.events.clear();
    return built;
  }

  private static void assertOldGenerationServes(SyncFixture f, Built before) {
    assertThat(f.indexes.index(f.env(), f.lens).generation()).contains(before.generation());
    assertThat(f.writer().documentCount()).isEqualTo(ROWS);
    assertThat(f.writer().contentHashes(List.of("1", "800", "1600"))).isEqualTo(before.hashes());
    assertThat(f.events).isEmpty();
  }

  private static LensSync sync(SyncFixture f, IndexWriters writers, Embedder embedder) {
    ReadPlanner planner = new ReadPlanner(new CursorCodec(new byte[32]));
    LensSourceRows rows = new LensSourceRows(new LensReader(f.pools, planner), f.pools, Optional.empty());
    return new LensSync(rows, writers, (env, l) -> embedder, f.states, f.queue, f.events::add,
        LensSync.DEFAULT_BATCH_ROWS);
  }

  private static Embedder delegate(Embedder real, Runnable beforeCall) {
    return new Embedder() {
      @Override
      public String id() {
        return real.id();
      }

      @Override
      public int dimensions() {
        return real.dimensions();
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        beforeCall.run();
        return real.embed(texts);
      }
    };
  }

  /** The real writer, whose rebuilds run {@code beforeAdd} before each batch is added. */
  private static final class FailingRebuildWriter implements LensIndexWriter {
    private final LensIndexWriter real;
    private final Runnable beforeAdd;

    FailingRebuildWriter(LensIndexWriter real, Runnable beforeAdd) {
      this.real = real;
      this.beforeAdd = beforeAdd;
    }

    @Override
    public Map<String, String> contentHashes(Collection<String> ids) {
      return real.contentHashes(ids);
    }

    @Override
    public Map<String, Map<String, Object>> storedRows(Collection<String> ids) {
      return real.storedRows(ids);
    }

    @Override
    public void upsert(List<IndexRecord> records) {
      real.upsert(records);
    }

    @Override
    public void delete(Collection<String> ids) {
      real.delete(ids);
    }

    @Override
    public void forEachId(Consumer<String> action) {
      real.forEachId(action);
    }

    @Override
    public long documentCount() {
      return real.documentCount();
    }

    @Override
    public Rebuild beginRebuild(String embedderId) {
      return gated(real.beginRebuild(embedderId));
    }

    @Override
    public Rebuild beginRebuild(String embedderId, LensSchema schema) {
      return gated(real.beginRebuild(embedderId, schema));
    }

    private Rebuild gated(Rebuild rebuild) {
      return new Rebuild() {
        @Override
        public void add(List<IndexRecord> records) {
          beforeAdd.run();
          rebuild.add(records);
        }

        @Override
        public void commitAndSwap() {
          rebuild.commitAndSwap();
        }

        @Override
        public void close() {
          rebuild.close();
        }
      };
    }

    @Override
    public Optional<String> embedderId() {
      return real.embedderId();
    }

    @Override
    public Optional<String> schemaFingerprint() {
      return real.schemaFingerprint();
    }
  }
}
