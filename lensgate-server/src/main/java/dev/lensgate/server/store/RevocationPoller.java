package dev.lensgate.server.store;

import dev.lensgate.core.keys.KeyRevocations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings revocations and rotations made by other processes sharing the metadata store (the CLI,
 * other gateways) to this node: every {@code pollInterval} it reads the revocation log entries after
 * the last one it saw (one primary-key range query, normally empty) and publishes each on this
 * node's {@link KeyRevocations}, exactly as a local {@link ApiKeyService} would. The authenticator's
 * cache evicts on that event and open sockets can close, so the request path never asks the
 * database whether a cached key is still valid.
 *
 * <p>Revocations made through this node's own {@link ApiKeyService} are published twice (once by the
 * service, once when polled); listeners treat events as idempotent.
 *
 * <p>The starting point is the log's revision at construction: build the poller before anything on
 * this node caches keys. If the store is unreachable, polls fail quietly (logged without values) and
 * the next successful poll catches up from where it stopped; meanwhile the authenticator's cache TTL
 * bounds staleness.
 *
 * <p>Thread-safe.
 */
public final class RevocationPoller implements AutoCloseable {
  /** Well inside CONTRACT §3's one second for open sockets. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
  static final int DEFAULT_PAGE_SIZE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(RevocationPoller.class);

  private final Jdbc jdbc;
  private final KeyRevocations revocations;
  private final Duration pollInterval;
  private final int pageSize;
  private long lastRevision;
  private ScheduledExecutorService scheduler;
  /** Touched only by the scheduler thread. */
  private boolean failing;

  /**
   * @throws StoreException if the store cannot be read (so a gateway fails at start, not silently)
   */
  public RevocationPoller(DataSource dataSource, KeyRevocations revocations, Duration pollInterval) {
    this(dataSource, revocations, pollInterval, DEFAULT_PAGE_SIZE);
  }

  RevocationPoller(DataSource dataSource, KeyRevocations revocations, Duration pollInterval, int pageSize) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive");
    }
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    this.pollInterval = pollInterval;
    this.pageSize = pageSize;
    this.lastRevision = RevocationLog.currentRevision(jdbc);
  }

  /**
   * Publishes every revocation logged since the last poll, oldest first; returns how many.
   *
   * @throws StoreException if the store cannot be read; nothing is skipped, the next poll retries
   */
  public synchronized int poll() {
    int published = 0;
    while (true) {
      List<RevocationLog.Entry> page = RevocationLog.after(jdbc, lastRevision, pageSize);
      for (RevocationLog.Entry e : page) {
        revocations.publish(e.revocation());
        lastRevision = e.revision();
        published++;
      }
      if (page.size() < pageSize) {
        return published;
      }
    }
  }

  /** Starts polling every {@code pollInterval} on one daemon thread; idempotent. */
  public synchronized RevocationPoller start() {
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lensgate-key-revocation-poller");
        t.setDaemon(true);
        return t;
      });
      long ms = pollInterval.toMillis();
      scheduler.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void pollQuietly() {
    try {
      poll();
      if (failing) {
        failing = false;
        LOG.info("reading key revocations again");
      }
    } catch (RuntimeException e) {
      // Once per outage, not four times a second.
      if (!failing) {
        failing = true;
        LOG.warn("could not read key revocations; retrying every {} ms: {}", pollInterval.toMillis(),
            e.getClass().getName());
      }
    }
  }

  /** Stops polling. */
  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      s = scheduler;
      scheduler = null;
    }
    if (s != null) {
      s.shutdownNow();
    }
  }
}
