package dev.lensgate.server.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one table's retention sweep at start and then every {@code interval} on its own daemon
 * thread. A failed sweep is logged by exception type only (its message could quote SQL values) and
 * retried at the next interval.
 */
public final class RetentionSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

  private final ScheduledExecutorService scheduler;

  private RetentionSweeper(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * @param table what is swept, for the thread name and the log ("request log", "runner ledger")
   * @param sweep deletes what has expired and returns how many rows went
   */
  public static RetentionSweeper start(String table, IntSupplier sweep, Duration interval) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(sweep, "sweep");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lensgate-sweep-" + table.replace(' ', '-'));
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        int deleted = sweep.getAsInt();
        if (deleted > 0) {
          LOG.info("{}: deleted {} expired rows", table, deleted);
        }
      } catch (RuntimeException e) {
        LOG.warn("{} sweep failed: {}", table, e.getClass().getName());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new RetentionSweeper(s);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
