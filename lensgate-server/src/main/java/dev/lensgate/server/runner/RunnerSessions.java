package dev.lensgate.server.runner;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import dev.lensgate.server.store.RunnerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner sockets open on this node.
 *
 * <p>Health: a session is healthy while it is open and was heard from (connect or heartbeat)
 * within two heartbeat intervals; a periodic sweep closes sessions silent for longer.
 *
 * <p>Revocation: subscribed to {@link KeyRevocations} (this node's revocations and, through the
 * revocation poller, other processes'); a revoked {@code rk_} key's sessions get
 * {@code refused{code:"key_revoked"}} and a close at the revocation's effective instant — at once
 * for a plain revoke, at the end of the grace period for a rotation.
 *
 * <p>Thread-safe.
 */
public final class RunnerSessions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerSessions.class);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(25);

  private final RunnerFrameCodec codec;
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final ScheduledExecutorService scheduler;
  private final Map<String, RunnerSession> sessions = new ConcurrentHashMap<>();
  private final KeyRevocations.Subscription subscription;
  private volatile Consumer<RunnerSession> onClosed = s -> { };

  public RunnerSessions(RunnerFrameCodec codec, Clock clock, Duration heartbeatInterval,
      ScheduledExecutorService scheduler, KeyRevocations revocations) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeatInterval must be positive");
    }
    this.heartbeatInterval = heartbeatInterval;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.subscription = revocations.subscribe(this::onRevoked);
    long sweepMillis = Math.max(100, heartbeatInterval.toMillis() / 5);
    scheduler.scheduleWithFixedDelay(this::sweepSilent, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  public Duration heartbeatInterval() { return heartbeatInterval; }

  /** Who is told (once per session) that a session ended; set by the dispatcher. */
  void onClosed(Consumer<RunnerSession> listener) {
    this.onClosed = Objects.requireNonNull(listener, "listener");
  }

  /** Registers a verified runner's socket and sends {@code hello}. */
  RunnerSession open(RunnerInfo runner, RunnerSocket socket) {
    RunnerSession s = new RunnerSession(UUID.randomUUID().toString(), runner, socket, codec, clock.instant());
    sessions.put(s.sessionId(), s);
    s.send(new RunnerFrame.Hello(runner.id(), s.sessionId(), (int) heartbeatInterval.toSeconds()));
    return s;
  }

  Optional<RunnerSession> get(String sessionId) {
    return Optional.ofNullable(sessions.get(sessionId));
  }

  /** The socket is gone (either side closed it): unregister and tell the dispatcher. */
  void closed(RunnerSession s) {
    s.markClosed();
    if (sessions.remove(s.sessionId(), s)) {
      onClosed.accept(s);
    }
  }

  void heartbeat(RunnerSession s, RunnerFrame.Heartbeat hb) {
    s.heard(clock.instant(), hb.version(), hb.sources());
  }

  /** Open, recently heard-from sessions of {@code orgId}'s runners named in {@code runnerNames}. */
  List<RunnerSession> healthy(String orgId, Collection<String> runnerNames) {
    Instant oldest = clock.instant().minus(heartbeatInterval.multipliedBy(2));
    List<RunnerSession> out = new ArrayList<>();
    for (RunnerSession s : sessions.values()) {
      if (!s.isClosed() && s.runner().orgId().equals(orgId) && runnerNames.contains(s.runner().name())
          && !s.lastSeen().isBefore(oldest)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Open sessions of runner {@code runnerId} on this node (for {@code runners list}). */
  public int openSessions(String runnerId) {
    int n = 0;
    for (RunnerSession s : sessions.values()) {
      if (!s.isClosed() && s.runner().id().equals(runnerId)) {
        n++;
      }
    }
    return n;
  }

  public int size() {
    return sessions.size();
  }

  private void onRevoked(KeyRevocation r) {
    if (r.type() != KeyType.RK) {
      return;
    }
    long delayMillis = Math.max(0, Duration.between(clock.instant(), r.effectiveAt()).toMillis());
    if (delayMillis == 0) {
      refuseKey(r.keyId());
    } else {
      scheduler.schedule(() -> refuseKey(r.keyId()), delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void refuseKey(String keyId) {
    for (RunnerSession s : sessions.values()) {
      if (s.runner().keyId().equals(keyId)) {
        LOG.info("runner {} session closed: key revoked", s.runner().id());
        s.refuse("key_revoked");
        closed(s);
      }
    }
  }

  private void sweepSilent() {
    try {
      Instant oldest = clock.instant().minus(heartbeatInterval.multipliedBy(2));
      for (RunnerSession s : sessions.values()) {
        if (s.lastSeen().isBefore(oldest)) {
          LOG.info("runner {} session closed: no heartbeat for {} s", s.runner().id(), heartbeatInterval.multipliedBy(2).toSeconds());
          s.close(RunnerSession.CLOSE_GOING_AWAY, "heartbeat_timeout");
          closed(s);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("runner session sweep failed: {}", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    subscription.close();
    for (RunnerSession s : sessions.values()) {
      s.close(RunnerSession.CLOSE_GOING_AWAY, "gateway_shutdown");
    }
  }
}
