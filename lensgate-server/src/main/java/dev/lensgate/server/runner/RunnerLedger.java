package dev.lensgate.server.runner;

import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.server.store.RunnerJobStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code runner_jobs} rows off the request path, on one daemon thread with a bounded
 * queue: a slow metadata store delays the ledger, never a query. Rows dropped because the queue
 * was full are counted and logged (counts only).
 */
public final class RunnerLedger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerLedger.class);

  private final RunnerJobStore store;
  private final ExecutorService writer;
  private final AtomicLong dropped = new AtomicLong();

  public RunnerLedger(RunnerJobStore store, int maxQueued) {
    this.store = store;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(maxQueued), r -> {
      Thread t = new Thread(r, "lensgate-runner-ledger");
      t.setDaemon(true);
      return t;
    });
  }

  public String newJobId() {
    return store.newId();
  }

  void record(RunnerJobRow row) {
    try {
      writer.execute(() -> {
        try {
          store.append(row);
        } catch (RuntimeException e) {
          LOG.warn("runner ledger write failed: {}", e.getClass().getName());
        }
      });
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      if (n == 1 || n % 1000 == 0) {
        LOG.warn("runner ledger queue full; {} rows dropped so far", n);
      }
    }
  }

  /** Waits until every row queued so far is written (tests, shutdown). */
  public void flush() {
    try {
      writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    flush();
    writer.shutdownNow();
  }
}
