package dev.lensgate.server.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when keys were last used without a database write per request: {@link #touch} keeps the
 * latest time per key in memory; {@link #flush} writes them in one batch. Started, it flushes every
 * {@code flushInterval}, so each key is written at most once per interval however busy it is.
 *
 * <p>Thread-safe. {@link #touch} is a map put on the hot path.
 */
public final class LastUsedTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LastUsedTracker.class);

  private final ApiKeyRepository repository;
  private final Clock clock;
  private final Duration flushInterval;
  private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;

  public LastUsedTracker(ApiKeyRepository repository, Clock clock, Duration flushInterval) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive");
    }
    this.flushInterval = flushInterval;
  }

  /** Notes that {@code keyId} was used now. */
  public void touch(String keyId) {
    pending.put(keyId, clock.instant());
  }

  /** Writes everything touched since the last flush; returns the number of rows updated. */
  public int flush() {
    if (pending.isEmpty()) {
      return 0;
    }
    Map<String, Instant> batch = new HashMap<>(pending);
    int written = repository.recordLastUsed(truncate(batch));
    // Remove only what was written, so a touch that raced the flush is kept for the next one.
    batch.forEach(pending::remove);
    return written;
  }

  private static Map<String, Instant> truncate(Map<String, Instant> batch) {
    Map<String, Instant> out = new HashMap<>();
    batch.forEach((k, v) -> out.put(k, v.truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
    return out;
  }

  /** Starts flushing every {@code flushInterval} on one daemon thread. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lensgate-key-last-used");
      t.setDaemon(true);
      return t;
    });
    long ms = flushInterval.toMillis();
    scheduler.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("could not record key last-used times ({} pending): {}", pending.size(), e.getClass().getName());
    }
  }

  /** Stops the background flush and writes what is pending. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    flushQuietly();
  }
}
