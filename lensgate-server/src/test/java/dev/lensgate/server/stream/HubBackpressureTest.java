package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A full lane makes the sync thread wait (bounded); past the bound, the lens's subscribers are
 * ended with {@code overloaded} instead of silently missing the change. No timing is asserted:
 * the lane is held by a sink blocked on a latch, and the test observes states.
 */
class HubBackpressureTest {
  private static final String ENV = StreamFixtures.ENV;
  private static final String LENS = StreamFixtures.LENS_NAME;

  /** A sink that blocks the lane on its first event until released (test-only misbehaviour). */
  private static final class BlockingSink extends RecordingSink {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void deliver(StreamEvent event) {
      entered.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.deliver(event);
    }
  }

  private static ChangeEvent insert(long id) {
    return ChangeEvent.upsert(ENV, LENS, Long.toString(id), Optional.empty(), Map.of("id", id));
  }

  @Test
  void fullQueue_blocksTheSyncThread_untilRoomFrees_thenDeliversAllInOrder() throws Exception {
    try (InProcessStreamHub hub = new InProcessStreamHub(1, 2, Duration.ofMinutes(2))) {
      BlockingSink sink = new BlockingSink();
      hub.register(ENV, LENS, row -> true, sink);
      hub.changed(insert(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue(); // the lane holds change 1
      hub.changed(insert(2));
      hub.changed(insert(3)); // the queue (2) is full now
      AtomicReference<Thread> producer = new AtomicReference<>();
      CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> {
        producer.set(Thread.currentThread());
        hub.changed(insert(4));
      });
      awaitWaiting(fourth, producer);
      assertThat(fourth).isNotDone();
      sink.release.countDown();
      fourth.get(30, TimeUnit.SECONDS);
      assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
      assertThat(sink.events).extracting(StreamEvent::id).containsExactly("1", "2", "3", "4");
      assertThat(sink.ends).isEmpty();
    }
  }

  @Test
  void queueStaysFullPastTheBound_endsTheLensSubscribers_neverDropsSilently() throws Exception {
    try (InProcessStreamHub hub = new InProcessStreamHub(1, 1, Duration.ofMillis(200))) {
      BlockingSink sink = new BlockingSink();
      RecordingSink sameLens = new RecordingSink();
      RecordingSink otherLens = new RecordingSink();
      hub.register(ENV, LENS, row -> true, sink);
      hub.register(ENV, LENS, row -> false, sameLens);
      hub.register(ENV, "other", row -> true, otherLens);
      hub.changed(insert(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      hub.changed(insert(2)); // fills the queue of 1
      CompletableFuture.runAsync(() -> hub.changed(insert(3))).get(30, TimeUnit.SECONDS); // returns: bounded
      assertThat(sink.ends).containsExactly(StreamEnd.OVERLOADED);
      assertThat(sameLens.ends).containsExactly(StreamEnd.OVERLOADED);
      assertThat(otherLens.ends).isEmpty();
      assertThat(hub.liveCount(ENV, LENS)).isZero();
      assertThat(hub.liveCount(ENV, "other")).isEqualTo(1);
      sink.release.countDown();
      assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
      // The change in the lane's hands completes; the queued one finds the registration ended.
      assertThat(sink.events).extracting(StreamEvent::id).containsExactly("1");
    }
  }

  @Test
  void interruptedSyncThread_endsTheLensSubscribers_andKeepsItsInterrupt() throws Exception {
    try (InProcessStreamHub hub = new InProcessStreamHub(1, 1, Duration.ofMinutes(2))) {
      BlockingSink sink = new BlockingSink();
      hub.register(ENV, LENS, row -> true, sink);
      hub.changed(insert(1));
      assertThat(sink.entered.await(30, TimeUnit.SECONDS)).isTrue();
      hub.changed(insert(2));
      java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
      Thread t = new Thread(() -> {
        Thread.currentThread().interrupt();
        hub.changed(insert(3));
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      });
      t.start();
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(stillInterrupted.get()).isTrue();
      assertThat(sink.ends).containsExactly(StreamEnd.OVERLOADED);
      sink.release.countDown();
    }
  }

  private static void awaitWaiting(CompletableFuture<Void> f, AtomicReference<Thread> producer)
      throws InterruptedException {
    for (int i = 0; i < 3000 && !f.isDone(); i++) {
      Thread p = producer.get();
      if (p != null && p.getState() == Thread.State.TIMED_WAITING) {
        return;
      }
      Thread.sleep(10); // polling a thread state: no event to await
    }
    throw new AssertionError("the producer never waited for room");
  }
}
