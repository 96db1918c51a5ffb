package dev.lensgate.server.stream;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyRevocation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open stream sockets of this node, by API key: a revoked key's sockets are closed with
 * {@code key_revoked} at once (or when a rotation's grace ends), and every socket of an
 * environment whose active config changed re-checks its subscriptions. Thread-safe.
 */
final class StreamSockets {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSockets.class);

  private final Set<StreamSocket> all = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Set<StreamSocket>> byKey = new ConcurrentHashMap<>();
  private final Function<String, Optional<?>> runtimes;
  private final Map<String, Object> lastRuntime = new HashMap<>();
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private final AtomicLong slowConsumers = new AtomicLong();
  private final AtomicLong revokedSockets = new AtomicLong();
  private final AtomicInteger queueHighWater = new AtomicInteger();

  /** @param runtimes the active compiled config of an environment; a new object after every push */
  StreamSockets(Function<String, Optional<?>> runtimes, ScheduledExecutorService timers, Clock clock) {
    this.runtimes = runtimes;
    this.timers = timers;
    this.clock = clock;
  }

  void add(StreamSocket s) {
    all.add(s);
    byKey.computeIfAbsent(s.principal().keyId(), k -> ConcurrentHashMap.newKeySet()).add(s);
    synchronized (lastRuntime) {
      lastRuntime.computeIfAbsent(s.envId(), env -> runtimes.apply(env).orElse(null));
    }
  }

  void remove(StreamSocket s) {
    if (all.remove(s)) {
      queueHighWater.accumulateAndGet(s.queue().highWaterFrames(), Math::max);
    }
    byKey.computeIfPresent(s.principal().keyId(), (k, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  /** A key stopped working: its sockets close now, or when a rotation's grace period ends. */
  void onRevoked(KeyRevocation r) {
    if (r.type() == KeyType.RK) {
      return;
    }
    long delayMillis = Duration.between(clock.instant(), r.effectiveAt()).toMillis();
    if (delayMillis <= 0) {
      closeKey(r.keyId());
    } else {
      timers.schedule(() -> closeKey(r.keyId()), delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  void closeKey(String keyId) {
    Set<StreamSocket> sockets = byKey.get(keyId);
    if (sockets == null) {
      return;
    }
    for (StreamSocket s : List.copyOf(sockets)) {
      revokedSockets.incrementAndGet();
      s.close(StreamCodes.KEY_REVOKED, StreamSocket.CLOSE_POLICY);
      remove(s);
    }
  }

  /** Re-checks the subscriptions of every environment whose compiled config is a new one. */
  void watchConfigs() {
    Set<String> envs = new HashSet<>();
    for (StreamSocket s : all) {
      envs.add(s.envId());
    }
    for (String env : envs) {
      Object now = runtimes.apply(env).orElse(null);
      boolean changed;
      synchronized (lastRuntime) {
        changed = lastRuntime.get(env) != now;
        lastRuntime.put(env, now);
      }
      if (changed) {
        for (StreamSocket s : all) {
          if (s.envId().equals(env)) {
            s.reauthorize();
          }
        }
      }
    }
    synchronized (lastRuntime) {
      lastRuntime.keySet().retainAll(envs);
    }
  }

  void watchQuietly() {
    try {
      watchConfigs();
    } catch (RuntimeException e) {
      LOG.warn("stream config check failed: {}", e.getClass().getName());
    }
  }

  void slowConsumer() {
    slowConsumers.incrementAndGet();
  }

  /** Pings every open socket: one timer task for all of them, on the endpoint's own (daemon) timers. */
  void pingAll() {
    for (StreamSocket s : all) {
      s.ping();
    }
  }

  void closeAll(String code, int status) {
    for (StreamSocket s : List.copyOf(all)) {
      s.close(code, status);
      remove(s);
    }
  }

  int open() {
    return all.size();
  }

  int openOf(String keyId) {
    Set<StreamSocket> s = byKey.get(keyId);
    return s == null ? 0 : s.size();
  }

  long slowConsumers() {
    return slowConsumers.get();
  }

  long revokedSockets() {
    return revokedSockets.get();
  }

  /** The most frames any socket (open or gone) had waiting at once. */
  int queueHighWater() {
    int max = queueHighWater.get();
    for (StreamSocket s : all) {
      max = Math.max(max, s.queue().highWaterFrames());
    }
    return max;
  }
}
