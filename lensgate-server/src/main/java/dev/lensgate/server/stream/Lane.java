package dev.lensgate.server.stream;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One single-thread fan-out lane of the hub with its bounded queue. Every change of one record is
 * routed to the same lane, so a lane's FIFO order is the per-record order subscribers see.
 */
final class Lane {
  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

  /** What a lane works on: a change to fan out, or a barrier (tests, draining). */
  private sealed interface Task permits Published, Barrier { }

  private record Published(ChangeEvent change, long publishedNanos) implements Task { }

  private record Barrier(CountDownLatch reached) implements Task { }

  /** The hub's fan-out of one change (a primitive {@code long}: no boxing per event). */
  @FunctionalInterface
  interface FanOut {
    void accept(ChangeEvent change, long publishedNanos);
  }

  private final BlockingQueue<Task> queue;
  private final FanOut fanOut;
  private final Thread thread;
  private volatile boolean stopped;

  Lane(String threadName, int capacity, FanOut fanOut) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.fanOut = fanOut;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a change, waiting at most {@code timeoutNanos} for room.
   *
   * @return false when there was no room in time (the change is not queued)
   */
  boolean offer(ChangeEvent change, long publishedNanos, long timeoutNanos) throws InterruptedException {
    return queue.offer(new Published(change, publishedNanos), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** Queues a barrier whose latch opens once everything queued before it was fanned out. */
  boolean barrier(CountDownLatch reached, long timeoutNanos) throws InterruptedException {
    return queue.offer(new Barrier(reached), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  private void run() {
    while (!stopped) {
      Task task;
      try {
        task = queue.take();
      } catch (InterruptedException e) {
        break; // stop() interrupts
      }
      if (task instanceof Barrier) {
        ((Barrier) task).reached().countDown();
        continue;
      }
      Published p = (Published) task;
      try {
        fanOut.accept(p.change(), p.publishedNanos());
      } catch (RuntimeException e) {
        // Registrations contain their own failures; this is a hub bug: keep the lane alive.
        LOG.error("stream hub lane failed on a change of lens {}: {}", p.change().lens(), e.getClass().getName());
      }
    }
    queue.clear();
  }

  /** Stops the thread; queued changes are dropped. */
  void stop() {
    stopped = true;
    thread.interrupt();
  }

  /** Waits for the thread to end; true when it has. */
  boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    thread.join(timeoutMillis);
    return !thread.isAlive();
  }
}
