package dev.lensgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one-batch-ahead hand-off of a full rebuild's adds. */
class RebuildFeederTest {
  private static final List<IndexRecord> BATCH = List.of();

  /** A rebuild whose adds block until released, recording the thread and the overlap. */
  private static final class GatedRebuild implements LensIndexWriter.Rebuild {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger adds = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile RuntimeException failWith;

    @Override
    public void add(List<IndexRecord> records) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      threads.add(Thread.currentThread().getName());
      started.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
        if (failWith != null) {
          throw failWith;
        }
        adds.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void commitAndSwap() {}

    @Override
    public void close() {}
  }

  @Test
  void add_returnsWhileTheBatchIsAddedOnItsOwnThread_finishWaitsForIt() throws Exception {
    GatedRebuild rebuild = new GatedRebuild();
    try (RebuildFeeder feeder = new RebuildFeeder(rebuild)) {
      feeder.add(BATCH); // returns although the add is blocked: the caller may embed meanwhile
      assertThat(rebuild.started.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(rebuild.adds).hasValue(0);
      rebuild.release.countDown();
      feeder.add(BATCH);
      feeder.add(BATCH);
      feeder.finish();
      assertThat(rebuild.adds).hasValue(3);
      assertThat(rebuild.maxInFlight).hasValue(1);
      assertThat(rebuild.threads).containsOnly("lensgate-index-add");
    }
  }

  @Test
  void failedAdd_isRethrownByTheNextAddAndNothingMoreIsHandedOver() {
    GatedRebuild rebuild = new GatedRebuild();
    rebuild.failWith = new IllegalStateException("index broken");
    rebuild.release.countDown();
    try (RebuildFeeder feeder = new RebuildFeeder(rebuild)) {
      feeder.add(BATCH);
      assertThatThrownBy(() -> feeder.add(BATCH)).isInstanceOf(IllegalStateException.class)
          .hasMessage("index broken");
      assertThat(rebuild.threads).hasSize(1);
    }
  }

  @Test
  void failedLastAdd_isRethrownByFinish() {
    GatedRebuild rebuild = new GatedRebuild();
    rebuild.failWith = new java.io.UncheckedIOException(new java.io.IOException("disk full"));
    rebuild.release.countDown();
    try (RebuildFeeder feeder = new RebuildFeeder(rebuild)) {
      feeder.add(BATCH);
      assertThatThrownBy(feeder::finish).isInstanceOf(java.io.UncheckedIOException.class);
    }
  }

  @Test
  void close_waitsForTheBatchInFlight() throws Exception {
    GatedRebuild rebuild = new GatedRebuild();
    RebuildFeeder feeder = new RebuildFeeder(rebuild);
    feeder.add(BATCH);
    assertThat(rebuild.started.await(30, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(feeder::close);
    closer.start();
    closer.join(200);
    assertThat(closer.isAlive()).as("close waits for the add in flight").isTrue();
    rebuild.release.countDown();
    closer.join(30_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(rebuild.adds).hasValue(1);
  }
}
