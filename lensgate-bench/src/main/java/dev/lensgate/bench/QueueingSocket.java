package dev.lensgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.server.stream.EventSink;
import dev.lensgate.server.stream.StreamEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for one client socket, as the gateway's would behave: the hub's sink only offers the
 * event to a bounded queue (never blocks; a full queue counts as overflow, where a socket would
 * close the slow consumer), and a writer thread from a shared pool drains it, encoding each event
 * as its JSON frame. Latency = drain time − {@link StreamEvent#publishedNanos()}; samples are taken
 * only for events published inside the measured window.
 */
final class QueueingSocket {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<StreamEvent> queue;
  private final Executor writers;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong overflowed = new AtomicLong();
  private final AtomicLong frameBytes = new AtomicLong();
  private final WriterSamples samples;
  private volatile long windowStartNanos = Long.MAX_VALUE;
  private volatile long windowEndNanos = Long.MAX_VALUE;

  QueueingSocket(int capacity, Executor writers, WriterSamples samples) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writers = writers;
    this.samples = samples;
  }

  /** The sink of subscription {@code subscriptionId} on this socket. */
  EventSink sink(String subscriptionId) {
    return event -> {
      if (!queue.offer(event)) {
        overflowed.incrementAndGet();
        return;
      }
      if (scheduled.compareAndSet(false, true)) {
        writers.execute(this::drain);
      }
    };
  }

  void window(long startNanos, long endNanos) {
    windowStartNanos = startNanos;
    windowEndNanos = endNanos;
  }

  private void drain() {
    while (true) {
      StreamEvent e;
      while ((e = queue.poll()) != null) {
        frameBytes.addAndGet(frame(e).length);
        long now = System.nanoTime();
        if (e.publishedNanos() >= windowStartNanos && e.publishedNanos() < windowEndNanos) {
          samples.current().add(now - e.publishedNanos());
        }
        delivered.incrementAndGet();
      }
      scheduled.set(false);
      // An event offered between the last poll and the reset must not wait for the next one.
      if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private static byte[] frame(StreamEvent e) {
    ObjectNode record = JSON.createObjectNode();
    for (Map.Entry<String, Object> field : e.row().entrySet()) {
      record.set(field.getKey(), FieldValues.toJson(field.getValue()));
    }
    ObjectNode frame = JSON.createObjectNode().put("type", "event").put("id", "s1")
        .put("kind", e.kind().name().toLowerCase(Locale.ROOT));
    frame.set("record", record);
    try {
      return JSON.writeValueAsBytes(frame);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  long delivered() { return delivered.get(); }

  long overflowed() { return overflowed.get(); }

  long frameBytes() { return frameBytes.get(); }

  boolean idle() { return queue.isEmpty() && !scheduled.get(); }
}
