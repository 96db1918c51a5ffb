package dev.lensgate.server.sync;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.server.store.SyncRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every lens's index fresh: polls the metadata store (every {@code pollInterval}, ~500 ms) for
 * due sync jobs — queued by the ingest webhook, the CLI or this scheduler's own interval checks — and
 * runs them on a bounded worker pool, never two of one lens at once (a lens busy in this process is
 * skipped until its sync ends; across processes the store's conditional claim picks one winner).
 *
 * <p>Each poll also: creates the state row ({@code paused}) of lenses seen for the first time;
 * queues {@code incremental} (or, without a change-tracking field, {@code smart}) syncs per the
 * lens's {@code syncInterval} and {@code smart} syncs per {@code smartSyncInterval}; and queues a
 * {@code records} job for buffered changes left without one (after a failure). A paused lens runs
 * only CLI jobs. After a failed run a lens's automatic jobs wait {@code retryDelay}.
 *
 * <p>Restart: {@link #start()} puts jobs a dead gateway left {@code running} back in the queue
 * (single writer node assumed), so pending work resumes.
 */
public final class SyncScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);
  private static final int MAX_CLAIMS_PER_POLL = 64;
  /** A job for a lens missing from the loaded configs waits this long for a config refresh, then fails. */
  static final Duration UNKNOWN_LENS_GRACE = Duration.ofMinutes(2);

  /** The lenses of every environment's active config: environment id → lens name → lens. */
  @FunctionalInterface
  public interface LensDirectory {
    Map<String, Map<String, LensConfig>> lenses();
  }

  private final LensSync sync;
  private final LensDirectory directory;
  private final IndexStateStore states;
  private final SyncQueueStore queue;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration retryDelay;
  private final ExecutorService workers;
  private final ScheduledExecutorService poller;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> retryAfter = new ConcurrentHashMap<>();

  public SyncScheduler(LensSync sync, LensDirectory directory, IndexStateStore states, SyncQueueStore queue,
      Clock clock, int workerThreads, Duration pollInterval, Duration retryDelay) {
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads must be positive");
    }
    this.sync = sync;
    this.directory = directory;
    this.states = states;
    this.queue = queue;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.retryDelay = retryDelay;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(workerThreads, r -> daemon(r, "lensgate-sync-" + n.incrementAndGet()));
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lensgate-sync-poll"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Requeues jobs left running by a dead process and starts polling. */
  public SyncScheduler start() {
    int requeued = queue.requeueRunning();
    if (requeued > 0) {
      LOG.info("requeued {} sync job(s) left running by a previous gateway", requeued);
    }
    poller.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("sync poll failed: {}", e.getClass().getSimpleName());
    }
  }

  /** One poll (public for tests that drive the scheduler without its timer). */
  public void poll() {
    Map<String, Map<String, LensConfig>> lenses = directory.lenses();
    Instant now = clock.instant();
    for (Map.Entry<String, Map<String, LensConfig>> env : lenses.entrySet()) {
      for (String name : env.getValue().keySet()) {
        if (known.add(key(env.getKey(), name))) {
          states.ensure(env.getKey(), name);
        }
      }
      Map<String, LensIndexStatus> status = new HashMap<>();
      states.list(env.getKey()).forEach(s -> status.put(s.lens(), s));
      for (LensConfig lens : env.getValue().values()) {
        LensIndexStatus s = status.get(lens.name());
        if (s != null) {
          scheduleAutomatic(env.getKey(), lens, s, now);
        }
      }
    }
    for (SyncRequest request : queue.due(MAX_CLAIMS_PER_POLL)) {
      Optional<LensConfig> lens = Optional.ofNullable(lenses.getOrDefault(request.envId(), Map.of()).get(request.lens()));
      if (lens.isEmpty()) {
        // The CLI may queue a job for a lens of a config this gateway has not loaded yet.
        if (request.requestedAt().plus(UNKNOWN_LENS_GRACE).isAfter(now)) {
          continue;
        }
        if (queue.claim(request.id())) {
          queue.finish(request.id(), Optional.of("lens_not_found"));
        }
        continue;
      }
      String key = key(request.envId(), request.lens());
      if (busy.contains(key)) {
        continue;
      }
      boolean paused = states.get(request.envId(), request.lens()).map(LensIndexStatus::paused).orElse(true);
      if (paused && !SyncRequest.ORIGIN_CLI.equals(request.origin())) {
        continue;
      }
      if (!busy.add(key)) {
        continue;
      }
      if (!queue.claim(request.id())) {
        busy.remove(key);
        continue;
      }
      workers.execute(() -> runJob(request, lens.get(), key));
    }
  }

  private void scheduleAutomatic(String envId, LensConfig lens, LensIndexStatus s, Instant now) {
    String key = key(envId, lens.name());
    if (s.paused() || busy.contains(key) || now.isBefore(retryAfter.getOrDefault(key, Instant.MIN))) {
      return;
    }
    Optional<SyncMode> due = Optional.empty();
    Optional<Duration> smartEvery = lens.index().smartSyncInterval();
    Optional<Duration> every = lens.index().syncInterval();
    if (smartEvery.isPresent() && s.lastSmartSyncAt().map(t -> !t.plus(smartEvery.get()).isAfter(now)).orElse(true)) {
      due = Optional.of(SyncMode.SMART);
    } else if (every.isPresent() && s.lastSyncAt().map(t -> !t.plus(every.get()).isAfter(now)).orElse(true)) {
      due = Optional.of(lens.index().changeTrackingField().isPresent() ? SyncMode.INCREMENTAL : SyncMode.SMART);
    } else if (s.pendingChanges() > 0) {
      due = Optional.of(SyncMode.RECORDS);
    }
    if (due.isPresent() && !queue.hasOpenJob(envId, lens.name())) {
      queue.request(envId, lens.name(), due.get(), SyncRequest.ORIGIN_SCHEDULE);
    }
  }

  private void runJob(SyncRequest request, LensConfig lens, String key) {
    try {
      SyncResult result = sync.run(request.envId(), lens, request.mode());
      queue.finish(request.id(), result.error().map(c -> c.code()));
      if (result.ok()) {
        retryAfter.remove(key);
      } else {
        retryAfter.put(key, clock.instant().plus(retryDelay));
      }
    } catch (RuntimeException e) {
      LOG.warn("sync job of lens {} failed: {}", lens.name(), e.getClass().getSimpleName());
      retryAfter.put(key, clock.instant().plus(retryDelay));
      try {
        queue.finish(request.id(), Optional.of("internal_error"));
      } catch (RuntimeException ignored) {
        // The store is failing too; the job is requeued at the next start.
      }
    } finally {
      busy.remove(key);
    }
  }

  private static String key(String envId, String lens) {
    return envId + "\u0000" + lens;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: the lenses being synced right now. */
  List<String> busyKeys() {
    return List.copyOf(busy);
  }
}
