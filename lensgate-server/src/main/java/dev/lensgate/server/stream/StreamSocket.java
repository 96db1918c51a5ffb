package dev.lensgate.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.authorize.LensAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to {@code /v1/stream}: its subscriptions, keyed by the client's ids, and
 * its bounded send queue. Frames from the client arrive one at a time on the socket's reader;
 * revocation, token expiry, config pushes and the hub reach it from other threads, so the map is
 * guarded by this object's lock (never held while calling out).
 *
 * <p>A bad frame gets an error frame and changes nothing else: the socket and its other
 * subscriptions stay. Only the key's revocation, a slow consumer and shutdown end the socket, with
 * {@code closed{code}} first (best effort) and a close handshake.
 */
final class StreamSocket {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSocket.class);
  static final int CLOSE_POLICY = 1008;
  static final int CLOSE_GOING_AWAY = 1001;

  private final Principal principal;
  private final Optional<String> userToken;
  private final SocketServices services;
  private final Outlet outlet;
  private final StreamSockets registry;
  private final SendQueue queue;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private final AtomicBoolean overflowed = new AtomicBoolean();
  private final Subscription.Frames frames;
  private boolean closed;

  StreamSocket(Principal principal, Optional<String> userToken, SocketServices services, Outlet outlet,
      StreamSockets registry) {
    this.principal = principal;
    this.userToken = userToken;
    this.services = services;
    this.outlet = outlet;
    this.registry = registry;
    this.queue = new SendQueue(outlet, services.settings().maxQueuedFrames(), services.settings().maxQueuedChars());
    this.frames = new Subscription.Frames() {
      @Override
      public boolean offer(String frame) {
        return queue.offer(frame);
      }

      @Override
      public void overflow() {
        slowConsumer();
      }

      @Override
      public void ended(String subscriptionId, String code) {
        // Off the hub's thread: ending touches the registration the hub is calling from.
        services.timers().execute(() -> end(subscriptionId, Optional.of(code)));
      }
    };
  }

  Principal principal() { return principal; }

  String envId() { return principal.envId(); }

  SendQueue queue() { return queue; }

  synchronized int subscriptionCount() {
    return subscriptions.size();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  // ---------------------------------------------------------------- client frames

  void onText(String text) {
    if (isClosed()) {
      return;
    }
    if (text.length() > services.settings().maxFrameBytes()) {
      error(Optional.empty(), StreamCodes.FRAME_TOO_LARGE,
          "frames are limited to " + services.settings().maxFrameBytes() + " bytes");
      return;
    }
    ClientFrame frame;
    try {
      frame = services.parser().parse(text);
    } catch (FrameRejected e) {
      error(e.id(), e.code(), e.getMessage());
      return;
    }
    try {
      handle(frame);
    } catch (FrameRejected e) {
      error(e.id(), e.code(), e.getMessage());
    } catch (LensgateException e) {
      error(Optional.of(frame.id()), e.code().code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("stream frame of key {} failed: {}", principal.keyId(), e.getClass().getName());
      error(Optional.of(frame.id()), ErrorCode.INTERNAL.code(), "internal error");
    }
  }

  void onBinary() {
    error(Optional.empty(), ErrorCode.INVALID_REQUEST.code(), "frames are JSON text; binary frames are not accepted");
  }

  private void handle(ClientFrame frame) {
    if (frame instanceof ClientFrame.Unsubscribe) {
      if (!end(frame.id(), Optional.of(StreamCodes.UNSUBSCRIBED))) {
        throw new FrameRejected(StreamCodes.SUBSCRIPTION_NOT_FOUND, "no live subscription with this id",
            Optional.of(frame.id()));
      }
    } else if (frame instanceof ClientFrame.Subscribe) {
      ClientFrame.Subscribe s = (ClientFrame.Subscribe) frame;
      open(s.id(), s.lens(), s.where(), Optional.empty());
    } else {
      ClientFrame.Observe o = (ClientFrame.Observe) frame;
      open(o.id(), o.lens(), Optional.empty(), Optional.of(o.recordId()));
    }
  }

  private void open(String id, String lensName, Optional<JsonNode> where,
      Optional<String> recordId) {
    synchronized (this) {
      if (subscriptions.containsKey(id)) {
        throw new FrameRejected(StreamCodes.DUPLICATE_SUBSCRIPTION, "a subscription with this id is live", Optional.of(id));
      }
      if (subscriptions.size() >= services.settings().maxSubscriptionsPerSocket()) {
        throw tooMany(id, "this socket holds " + services.settings().maxSubscriptionsPerSocket() + " subscriptions");
      }
    }
    LensAccess.Granted granted = services.access().authorize(principal, lensName, Operation.SUBSCRIBE, userToken);
    Subscription.Authorized authorized = authorize(granted, where, recordId);
    int lensCap = granted.lens().maxLiveSubscriptions().orElse(services.settings().maxLiveSubscriptionsPerLens());
    if (services.hub().liveCount(envId(), granted.lens().name()) >= lensCap) {
      throw tooMany(id, "lens " + granted.lens().name() + " has its maximum of live subscriptions");
    }
    if (!services.keyCounts().tryAcquire(principal.keyId())) {
      throw tooMany(id, "this key holds " + services.settings().maxSubscriptionsPerKey() + " subscriptions");
    }
    Subscription sub = new Subscription(id, lensName, where, recordId, authorized, services.frames(), frames,
        services.settings().maxQueuedFrames());
    synchronized (this) {
      if (closed) {
        services.keyCounts().release(principal.keyId());
        return;
      }
      subscriptions.put(id, sub);
    }
    try {
      if (recordId.isPresent()) {
        sub.holdEvents();
      }
      sub.registration(services.hub().register(envId(), granted.lens().name(), authorized.matcher(), sub));
      granted.userTokenValidUntil().ifPresent(until -> scheduleExpiry(sub, until));
      if (recordId.isPresent()) {
        sub.releaseWith(services.records().read(envId(), granted.lens(), recordId.get()).orElse(null));
      }
    } catch (RuntimeException e) {
      end(id, Optional.empty());
      throw e;
    }
  }

  /** Rule filter AND where (AND key) for the granted lens; where failures are the client's 4xx codes. */
  private Subscription.Authorized authorize(LensAccess.Granted granted,
      Optional<JsonNode> where, Optional<String> recordId) {
    Filter whereFilter = WhereParser.parse(where.orElse(null), granted.lens().schema());
    RowMatcher matcher = services.matchers().matcher(granted.lens(), granted.rowFilter(), whereFilter, recordId);
    return new Subscription.Authorized(granted.lens(), granted.rowFilter(), whereFilter, matcher);
  }

  private void scheduleExpiry(Subscription sub, Instant until) {
    long delayMillis = Math.max(0, Duration.between(services.clock().instant(), until).toMillis());
    sub.expiry(services.timers().schedule(() -> end(sub.id(), Optional.of(StreamCodes.TOKEN_EXPIRED)),
        delayMillis, TimeUnit.MILLISECONDS));
  }

  private static FrameRejected tooMany(String id, String message) {
    return new FrameRejected(StreamCodes.TOO_MANY_SUBSCRIPTIONS, message, Optional.of(id));
  }

  // ---------------------------------------------------------------- server-side ends

  /** Ends one subscription; sends {@code closed{id, code}} when a code is given. False if it was not live. */
  boolean end(String id, Optional<String> closedCode) {
    Subscription s;
    synchronized (this) {
      s = subscriptions.remove(id);
    }
    if (s == null) {
      return false;
    }
    s.end();
    services.keyCounts().release(principal.keyId());
    closedCode.ifPresent(code -> send(services.frames().closed(Optional.of(id), code)));
    return true;
  }

  /**
   * Re-checks every subscription against the active config (after a push): one no longer allowed
   * ends with {@code grant_removed} ({@code lens_not_found} if the lens is gone); a changed rule
   * filter or lens replaces its matcher.
   */
  void reauthorize() {
    List<Subscription> all;
    synchronized (this) {
      all = new ArrayList<>(subscriptions.values());
    }
    for (Subscription s : all) {
      try {
        LensAccess.Granted granted = services.access().authorize(principal, s.lensName(), Operation.SUBSCRIBE, userToken);
        Subscription.Authorized before = s.authorized();
        if (granted.lens() == before.lens() && granted.rowFilter().equals(before.ruleFilter())) {
          continue;
        }
        Subscription.Authorized after = authorize(granted, s.where(), s.recordId());
        s.authorized(after);
        s.registration(services.hub().register(envId(), granted.lens().name(), after.matcher(), s));
      } catch (LensgateException e) {
        end(s.id(), Optional.of(reauthorizationCode(e.code())));
      } catch (RuntimeException e) {
        LOG.warn("stream subscription of key {} could not be re-authorized: {}", principal.keyId(), e.getClass().getName());
        end(s.id(), Optional.of(StreamCodes.GRANT_REMOVED));
      }
    }
  }

  private static String reauthorizationCode(ErrorCode code) {
    switch (code) {
      case LENS_NOT_FOUND:
        return StreamCodes.LENS_NOT_FOUND;
      case INVALID_USER_TOKEN:
        return StreamCodes.TOKEN_EXPIRED;
      case UNKNOWN_FIELD:
      case UNSUPPORTED_OPERATOR:
      case INVALID_REQUEST:
        return code.code();
      default:
        return StreamCodes.GRANT_REMOVED;
    }
  }

  /**
   * Ends the socket from our side: every subscription stops, the queue is dropped (nothing more
   * is delivered), {@code closed{code}} is written best effort, then the close handshake starts;
   * a peer that does not read cannot complete it, so the connection is dropped a second later.
   */
  void close(String code, int status) {
    if (!endAll()) {
      return;
    }
    queue.closeWith(services.frames().closed(Optional.empty(), code), status, code);
    registry.remove(this);
    services.timers().schedule(outlet::disconnect, 1, TimeUnit.SECONDS);
  }

  /** The peer closed or the connection failed: stop everything, write nothing. */
  void disposed() {
    endAll();
    queue.discard();
    registry.remove(this);
  }

  private boolean endAll() {
    List<Subscription> all;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      all = new ArrayList<>(subscriptions.values());
      subscriptions.clear();
    }
    for (Subscription s : all) {
      s.end();
      services.keyCounts().release(principal.keyId());
    }
    return true;
  }

  private void slowConsumer() {
    if (overflowed.compareAndSet(false, true)) {
      // Not on the hub thread that found the queue full: closing touches hub registrations.
      registry.slowConsumer();
      services.timers().execute(() -> {
        LOG.info("stream socket of key {} closed: slow consumer", principal.keyId());
        close(StreamCodes.SLOW_CONSUMER, CLOSE_POLICY);
      });
    }
  }

  private void error(Optional<String> id, String code, String message) {
    send(services.frames().error(id, code, message));
  }

  private void send(String frame) {
    if (!queue.offer(frame)) {
      slowConsumer();
    }
  }

  /** A keepalive ping; the idle timeout (twice the interval) ends a peer that stopped answering. */
  void ping() {
    outlet.ping();
  }
}
