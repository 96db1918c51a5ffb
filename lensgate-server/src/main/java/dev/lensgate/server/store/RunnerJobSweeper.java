package dev.lensgate.server.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link RunnerJobStore#sweepExpired()} at start and then every {@code interval} on a daemon thread. */
public final class RunnerJobSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerJobSweeper.class);

  private final ScheduledExecutorService scheduler;

  private RunnerJobSweeper(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  public static RunnerJobSweeper start(RunnerJobStore store, Duration interval) {
    Objects.requireNonNull(store, "store");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lensgate-runner-job-sweeper");
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        int deleted = store.sweepExpired();
        if (deleted > 0) {
          LOG.info("runner ledger: deleted {} rows older than {} days", deleted, RunnerJobStore.RETENTION.toDays());
        }
      } catch (RuntimeException e) {
        LOG.warn("runner ledger sweep failed: {}", e.getClass().getName());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new RunnerJobSweeper(s);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
