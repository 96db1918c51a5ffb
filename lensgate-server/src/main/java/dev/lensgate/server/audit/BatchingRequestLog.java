package dev.lensgate.server.audit;

import dev.lensgate.server.http.SafeThrowables;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers request-log rows in a bounded queue and writes them in batches on one daemon thread, so
 * the request path never waits for the metadata store. When the queue is full, rows are dropped
 * and counted rather than slowing requests down.
 */
public final class BatchingRequestLog implements RequestLog {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingRequestLog.class);
  private static final int BATCH = 500;

  private final BlockingQueue<RequestLogEntry> queue;
  private final Consumer<List<RequestLogEntry>> sink;
  private final Thread writer;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running = true;

  public BatchingRequestLog(Consumer<List<RequestLogEntry>> sink, int capacity) {
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::drainLoop, "lensgate-request-log");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  @Override
  public void record(RequestLogEntry entry) {
    if (!queue.offer(entry)) {
      dropped.incrementAndGet();
    }
  }

  /** Rows dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Blocks until everything queued so far has been handed to the sink (tests, shutdown). */
  public void flush() {
    List<RequestLogEntry> batch = new ArrayList<>();
    synchronized (this) {
      queue.drainTo(batch);
      write(batch);
    }
  }

  private void drainLoop() {
    List<RequestLogEntry> batch = new ArrayList<>(BATCH);
    while (running) {
      try {
        RequestLogEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        synchronized (this) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          write(batch);
          batch.clear();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void write(List<RequestLogEntry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      sink.accept(List.copyOf(batch));
    } catch (RuntimeException e) {
      LOG.warn("request log write failed ({} rows lost): {}", batch.size(), SafeThrowables.describe(e));
    }
  }

  @Override
  public void close() {
    running = false;
    writer.interrupt();
    try {
      writer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
