package dev.lensgate.server.stream;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub of one gateway process: registrations keyed by (environment, lens), changes fanned out
 * on {@code lanes} single-thread lanes.
 *
 * <p>Design. {@link #changed} runs on sync threads and only queues: the change goes to lane
 * {@code hash(envId, lens, id) mod lanes}, so all changes of one record pass one FIFO queue and one
 * thread, which is what keeps per-record order for every subscriber. Each lane's queue is bounded
 * ({@code queueCapacity}); when it is full the sync thread waits (backpressure) at most
 * {@code maxEnqueueWait}. If that is not enough, the change is not queued and, because skipping
 * it silently would leave subscribers with a wrong view, every registration of that lens is ended
 * with {@link StreamEnd#OVERLOADED} (their clients resubscribe). Memory is thus bounded by
 * {@code lanes × queueCapacity} changes.
 *
 * <p>Fan-out tests a change only against candidate registrations ({@link LensRegistrations}: the
 * equality index by {@link RowMatcher#requiredEquality()}), applies the transition rule per
 * subscriber ({@link HubRegistration#eventFor}) and calls the sinks, which must not block. A sink
 * or matcher that throws ends its own registration only. No database is read: the rows travel
 * with the change.
 *
 * <p>Thread-safe. Registering and closing may race with fan-out; a registration made while a
 * change is being fanned out may or may not receive it.
 */
public final class InProcessStreamHub implements StreamHub {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessStreamHub.class);
  public static final int DEFAULT_QUEUE_CAPACITY = 4096;
  public static final Duration DEFAULT_MAX_ENQUEUE_WAIT = Duration.ofSeconds(5);

  private record LensKey(String envId, String lens) { }

  private final Map<LensKey, LensRegistrations> byLens = new ConcurrentHashMap<>();
  private final Lane[] lanes;
  private final long maxEnqueueWaitNanos;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Lanes = available processors (at least 2, at most 8), default capacity and wait. */
  public InProcessStreamHub() {
    this(Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors())), DEFAULT_QUEUE_CAPACITY,
        DEFAULT_MAX_ENQUEUE_WAIT);
  }

  /**
   * @param laneCount fan-out threads (1–64)
   * @param queueCapacity changes queued per lane before {@link #changed} waits (≥ 1)
   * @param maxEnqueueWait longest a sync thread waits for room (≥ 0)
   */
  public InProcessStreamHub(int laneCount, int queueCapacity, Duration maxEnqueueWait) {
    if (laneCount < 1 || laneCount > 64) {
      throw new IllegalArgumentException("laneCount must be 1..64");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1");
    }
    if (maxEnqueueWait.isNegative()) {
      throw new IllegalArgumentException("maxEnqueueWait must be >= 0");
    }
    this.maxEnqueueWaitNanos = maxEnqueueWait.toNanos();
    this.lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) {
      lanes[i] = new Lane("lensgate-stream-hub-" + i, queueCapacity, this::fanOut);
    }
    for (Lane lane : lanes) {
      lane.start();
    }
  }

  @Override
  public Registration register(String envId, String lens, RowMatcher matcher, EventSink sink) {
    Objects.requireNonNull(envId, "envId");
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(sink, "sink");
    if (closed.get()) {
      throw new IllegalStateException("stream hub is closed");
    }
    HubRegistration r = new HubRegistration(envId, lens, matcher, sink, this::unregister);
    byLens.compute(new LensKey(envId, lens), (k, regs) -> {
      LensRegistrations out = regs == null ? new LensRegistrations() : regs;
      out.add(r);
      return out;
    });
    if (closed.get()) {
      r.end(StreamEnd.HUB_CLOSED); // closed while registering: close() may have missed it
    }
    return r;
  }

  private void unregister(HubRegistration r) {
    byLens.computeIfPresent(new LensKey(r.envId(), r.lens()), (k, regs) -> {
      regs.remove(r);
      return regs.size() == 0 ? null : regs;
    });
  }

  @Override
  public int liveCount(String envId, String lens) {
    LensRegistrations regs = byLens.get(new LensKey(envId, lens));
    return regs == null ? 0 : regs.size();
  }

  /**
   * Queues the change for fan-out (sync thread). Waits while its lane is full, at most the
   * configured bound; past it, ends the lens's registrations instead of dropping silently.
   */
  @Override
  public void changed(ChangeEvent change) {
    long publishedNanos = System.nanoTime();
    if (closed.get() || !byLens.containsKey(new LensKey(change.envId(), change.lens()))) {
      return; // nobody listens: a registration made from now on starts after this change
    }
    boolean queued;
    try {
      queued = laneOf(change).offer(change, publishedNanos, maxEnqueueWaitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      queued = false;
    }
    if (!queued && !closed.get()) {
      lost(change);
    }
  }

  private Lane laneOf(ChangeEvent change) {
    int h = Objects.hash(change.envId(), change.lens(), change.id());
    return lanes[Math.floorMod(h ^ (h >>> 16), lanes.length)];
  }

  private void lost(ChangeEvent change) {
    LensRegistrations regs = byLens.get(new LensKey(change.envId(), change.lens()));
    List<HubRegistration> ended = regs == null ? List.of() : regs.all();
    LOG.warn("stream hub could not queue a change of lens {} in environment {} within {} ms; ending its {} "
        + "registration(s), which would have missed it", change.lens(), change.envId(),
        TimeUnit.NANOSECONDS.toMillis(maxEnqueueWaitNanos), ended.size());
    for (HubRegistration r : ended) {
      r.end(StreamEnd.OVERLOADED);
    }
  }

  /** On a lane thread. */
  private void fanOut(ChangeEvent change, long publishedNanos) {
    LensRegistrations regs = byLens.get(new LensKey(change.envId(), change.lens()));
    if (regs != null) {
      regs.forEachCandidate(change.before(), change.after(), r -> r.offer(change, publishedNanos));
    }
  }

  /**
   * Waits until every change queued before this call has been fanned out (tests, benchmarks).
   *
   * @return false if that did not happen within {@code timeout}
   */
  boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    CountDownLatch reached = new CountDownLatch(lanes.length);
    for (Lane lane : lanes) {
      if (!lane.barrier(reached, Math.max(0, deadline - System.nanoTime()))) {
        return false;
      }
    }
    return reached.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** True once every lane thread has ended (after {@link #close}). */
  boolean awaitTerminated(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Lane lane : lanes) {
      if (!lane.awaitStopped(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
        return false;
      }
    }
    return true;
  }

  /** Stops the lanes (queued changes are dropped) and ends every registration with HUB_CLOSED. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Lane lane : lanes) {
      lane.stop();
    }
    List<HubRegistration> all = new ArrayList<>();
    for (LensRegistrations regs : byLens.values()) {
      all.addAll(regs.all());
    }
    for (HubRegistration r : all) {
      r.end(StreamEnd.HUB_CLOSED);
    }
    try {
      if (!awaitTerminated(Duration.ofSeconds(5))) {
        LOG.warn("stream hub lanes did not stop within 5 s (a sink is blocking)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
