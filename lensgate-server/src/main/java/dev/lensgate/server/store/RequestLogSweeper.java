package dev.lensgate.server.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link RequestLogStore#sweepExpired()} at start and then every {@code interval} on a daemon thread. */
public final class RequestLogSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestLogSweeper.class);

  private final ScheduledExecutorService scheduler;

  private RequestLogSweeper(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Starts sweeping {@code store}; close the result to stop. */
  public static RequestLogSweeper start(RequestLogStore store, Duration interval) {
    Objects.requireNonNull(store, "store");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lensgate-request-log-sweeper");
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> sweepQuietly(store), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new RequestLogSweeper(s);
  }

  private static void sweepQuietly(RequestLogStore store) {
    try {
      int deleted = store.sweepExpired();
      if (deleted > 0) {
        LOG.info("request log: deleted {} rows older than {} days", deleted, RequestLogStore.RETENTION.toDays());
      }
    } catch (RuntimeException e) {
      LOG.warn("request log sweep failed: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
