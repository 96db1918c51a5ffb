package dev.lensgate.server.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.server.authenticate.KeyAuthenticator;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.catalog.EnvironmentCatalog;
import dev.lensgate.server.catalog.EnvironmentRuntime;
import dev.lensgate.server.http.RequestContext;
import dev.lensgate.server.http.WsRoute;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * {@code GET /v1/stream} (CONTRACT §6): one multiplexed WebSocket per client.
 *
 * <p>The key ({@code Authorization: Bearer} or {@code ?apiKey=}) and a user token
 * ({@code X-User-Token} or {@code ?userToken=}) are checked before the upgrade: failures answer the
 * upgrade request with the usual error envelope and status, and no socket opens. {@code rk_} and
 * {@code ik_} keys are {@code 403 key_type_not_allowed}: they cannot subscribe. Each subscribe or
 * observe is then authorized like a read with the {@code subscribe} grant. Keys and tokens are
 * never logged (logs name the key id; the query string is not logged anywhere).
 *
 * <p>Owns the timers (token expiry, revocation after grace, config watch, close follow-ups) and the
 * registry of open sockets; closing it ends every socket with {@code closed{code:"shutdown"}}.
 */
public final class StreamEndpoint implements AutoCloseable {
  public static final String PATH = "/v1/stream";
  private static final String SOCKET_ATTRIBUTE = "lensgate.streamSocket";
  private static final String PRINCIPAL_ATTRIBUTE = "lensgate.streamPrincipal";
  private static final String TOKEN_ATTRIBUTE = "lensgate.streamUserToken";

  private final KeyAuthenticator authenticator;
  private final EnvironmentCatalog catalog;
  private final StreamSettings settings;
  private final ScheduledExecutorService timers;
  private final StreamSockets sockets;
  private final SocketServices services;
  private final KeyRevocations.Subscription revocationSubscription;

  public StreamEndpoint(KeyAuthenticator authenticator, LensAccess access, EnvironmentCatalog catalog, StreamHub hub,
      RecordReader records, KeyRevocations revocations, StreamSettings settings, Clock clock) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.settings = Objects.requireNonNull(settings, "settings");
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "lensgate-stream-timers");
      t.setDaemon(true);
      return t;
    });
    // Token-expiry timers of ended subscriptions are cancelled; without this they would stay queued until their hour is up.
    pool.setRemoveOnCancelPolicy(true);
    this.timers = pool;
    this.sockets = new StreamSockets(env -> catalog.runtime(env), timers, clock);
    this.services = new SocketServices(access, hub, records, settings, new ClientFrames(),
        new ServerFrames(new ObjectMapper()), new FilterMatchers(), new KeyCounts(settings.maxSubscriptionsPerKey()),
        clock, timers);
    this.revocationSubscription = revocations.subscribe(sockets::onRevoked);
    long watch = settings.watchInterval().toMillis();
    timers.scheduleWithFixedDelay(sockets::watchQuietly, watch, watch, TimeUnit.MILLISECONDS);
    // Our own pings, not Javalin's enableAutomaticPings: that starts a process-wide non-daemon
    // thread that close() cannot stop, so an embedding JVM never exited.
    long ping = settings.pingInterval().toMillis();
    timers.scheduleWithFixedDelay(sockets::pingAll, ping, ping, TimeUnit.MILLISECONDS);
  }

  public WsRoute route() {
    // Jetty's own limit is a backstop well above ours: a frame over ours gets frame_too_large and
    // the socket stays; only an absurd one is closed by Jetty (1009).
    return new WsRoute(PATH, this::beforeUpgrade, this::configure, 4L * settings.maxFrameBytes());
  }

  /** Open stream sockets on this node. */
  public int openSockets() { return sockets.open(); }

  /** Open stream sockets of one API key. */
  public int openSockets(String keyId) { return sockets.openOf(keyId); }

  /** Live subscriptions of one API key across its sockets. */
  public int subscriptions(String keyId) { return services.keyCounts().count(keyId); }

  /** Sockets closed because their consumer fell behind. */
  public long slowConsumers() { return sockets.slowConsumers(); }

  /** The most frames any socket ever had waiting to be written (bounded by the queue caps). */
  public int queueHighWater() { return sockets.queueHighWater(); }

  public StreamSettings settings() { return settings; }

  private void beforeUpgrade(Context ctx) {
    String header = ctx.header("Authorization");
    Principal p = header != null ? authenticator.authenticate(header) : authenticator.authenticateKey(ctx.queryParam("apiKey"));
    RequestContext.of(ctx).principal(p);
    if (p.type() != KeyType.PK && p.type() != KeyType.LP && p.type() != KeyType.SK) {
      throw new LensgateException(ErrorCode.KEY_TYPE_NOT_ALLOWED, "this key type cannot open a stream");
    }
    Optional<String> userToken = userToken(ctx.header(LensAccess.USER_TOKEN_HEADER), ctx.queryParam("userToken"));
    userToken.ifPresent(t -> verifyUserToken(p, t));
    ctx.attribute(PRINCIPAL_ATTRIBUTE, p);
    ctx.attribute(TOKEN_ATTRIBUTE, userToken);
  }

  private static Optional<String> userToken(String header, String query) {
    String t = header != null && !header.isEmpty() ? header : query;
    return t == null || t.isEmpty() ? Optional.empty() : Optional.of(t);
  }

  /**
   * A present but invalid user token is 401 before the upgrade (CONTRACT §5). The authorizer checks
   * the token before anything else, so authorizing any lens of the environment tells us; every
   * other outcome is decided per subscription.
   */
  private void verifyUserToken(Principal p, String token) {
    Optional<EnvironmentRuntime> rt = catalog.runtime(p.envId());
    if (rt.isEmpty()) {
      return;
    }
    Iterator<LensConfig> lenses = rt.get().config().lenses().values().iterator();
    if (!lenses.hasNext()) {
      return;
    }
    try {
      rt.get().authorizer().authorize(p, lenses.next(), Operation.SUBSCRIBE, Optional.of(token));
    } catch (LensgateException e) {
      if (e.code() == ErrorCode.INVALID_USER_TOKEN) {
        throw e;
      }
    }
  }

  private void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      Principal p = ctx.attribute(PRINCIPAL_ATTRIBUTE);
      Optional<String> token = ctx.attribute(TOKEN_ATTRIBUTE);
      if (p == null || token == null) {
        ctx.closeSession(StreamSocket.CLOSE_POLICY, "unauthenticated");
        return;
      }
      ctx.session.setMaxTextMessageSize(4L * settings.maxFrameBytes());
      ctx.session.setIdleTimeout(settings.pingInterval().multipliedBy(2).plus(Duration.ofSeconds(5)));
      StreamSocket socket = new StreamSocket(p, token, services, outlet(ctx), sockets);
      ctx.attribute(SOCKET_ATTRIBUTE, socket);
      sockets.add(socket);
      try {
        // A revocation between the upgrade and the registration above would otherwise be missed.
        String header = ctx.header("Authorization");
        if (header != null) {
          authenticator.authenticate(header);
        } else {
          authenticator.authenticateKey(ctx.queryParam("apiKey"));
        }
      } catch (LensgateException e) {
        socket.close(StreamCodes.KEY_REVOKED, StreamSocket.CLOSE_POLICY);
      }
    });
    ws.onMessage(ctx -> withSocket(ctx, s -> s.onText(ctx.message())));
    ws.onBinaryMessage(ctx -> withSocket(ctx, StreamSocket::onBinary));
    ws.onClose(ctx -> withSocket(ctx, StreamSocket::disposed));
    ws.onError(ctx -> withSocket(ctx, StreamSocket::disposed));
  }

  private static void withSocket(WsContext ctx, Consumer<StreamSocket> action) {
    StreamSocket s = ctx.attribute(SOCKET_ATTRIBUTE);
    if (s != null) {
      action.accept(s);
    }
  }

  private static Outlet outlet(WsContext ctx) {
    return new Outlet() {
      @Override
      public void send(String text, Runnable written, Consumer<Throwable> failed) {
        ctx.session.sendText(text, Callback.from(written, failed));
      }

      @Override
      public void close(int status, String reason) {
        ctx.session.close(status, reason, Callback.NOOP);
      }

      @Override
      public void ping() {
        if (ctx.session.isOpen()) {
          ctx.session.sendPing(java.nio.ByteBuffer.allocate(0), Callback.NOOP);
        }
      }

      @Override
      public void disconnect() {
        if (ctx.session.isOpen()) {
          ctx.session.disconnect();
        }
      }
    };
  }

  @Override
  public void close() {
    revocationSubscription.close();
    sockets.closeAll(StreamCodes.SHUTDOWN, StreamSocket.CLOSE_GOING_AWAY);
    timers.shutdownNow();
  }
}
