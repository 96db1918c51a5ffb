package dev.lensgate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.audit.RequestLog;
import dev.lensgate.server.audit.RequestLogEntry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin HTTP layer: request ids, the error envelope, body limits, TLS listeners and the request
 * log. Handlers carry the request flow; this class only wires them to Javalin and guarantees that
 * every response — including 404s and failures — has an {@code X-Request-Id} and, on error, the
 * contract's envelope with a stable code.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Javalin app;
  private final HttpSettings settings;
  private final List<Route> routes;

  public HttpApi(HttpSettings settings, List<Route> routes, RequestLog requestLog, Clock clock) {
    this(settings, routes, List.of(), requestLog, clock);
  }

  public HttpApi(HttpSettings settings, List<Route> routes, List<WsRoute> wsRoutes, RequestLog requestLog, Clock clock) {
    this.settings = settings;
    this.routes = List.copyOf(routes);
    ObjectMapper json = new ObjectMapper();
    ErrorEnvelope errors = new ErrorEnvelope(json);
    RequestIds ids = new RequestIds();
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = settings.maxBodyBytes();
      config.router.ignoreTrailingSlashes = true;
      config.jetty.host = settings.host();
      config.jetty.port = settings.port();
      settings.tls().ifPresent(tls -> configureTls(config, tls));
      config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrorHandler(ids)));
      config.jetty.modifyHttpConfiguration(http -> {
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
      });
      config.jetty.modifyServletContextHandler(HttpApi::withoutSessionCookies);

      config.routes.before(ctx -> beginRequest(ctx, ids));
      for (Route r : this.routes) {
        if (r.method() == Route.Method.GET) {
          config.routes.get(r.path(), r.handler());
        } else {
          config.routes.post(r.path(), r.handler());
        }
      }
      long maxWsText = 0;
      for (WsRoute w : wsRoutes) {
        // HTTP before-handlers do not run for upgrades: a refused handshake gets its request id here.
        config.routes.wsBeforeUpgrade(w.path(), ctx -> {
          beginRequest(ctx, ids);
          try {
            w.beforeUpgrade().handle(ctx);
          } catch (LensgateException e) {
            try {
              errors.writeNow(ctx, e.code(), e.getMessage());
            } catch (java.io.IOException clientGone) {
              // The client hung up before reading the refusal; nothing to tell anyone.
            }
            throw e; // aborts the upgrade
          }
        });
        config.routes.ws(w.path(), w.ws());
        maxWsText = Math.max(maxWsText, w.maxTextMessageBytes());
      }
      if (maxWsText > 0) {
        long max = maxWsText;
        config.jetty.modifyWebSocketServletFactory(f -> f.setMaxTextMessageSize(max));
      }
      config.routes.exception(RateLimiter.RateLimitedException.class, (e, ctx) -> {
        ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        errors.write(ctx, e.code(), e.getMessage());
      });
      config.routes.exception(LensgateException.class, (e, ctx) -> errors.write(ctx, e.code(), e.getMessage()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> writeFrameworkError(errors, ctx, e.getStatus()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("request {} failed: {}", RequestContext.of(ctx).requestId(), SafeThrowables.describe(e));
        errors.write(ctx, ErrorCode.INTERNAL, "internal error; quote the request id when reporting it");
      });
      config.routes.error(404, ctx -> {
        if (isEmpty(ctx)) {
          errors.write(ctx, ErrorCode.NOT_FOUND, "no such route");
        }
      });
      config.routes.error(405, ctx -> {
        if (isEmpty(ctx)) {
          errors.write(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this route");
        }
      });
      // Errors are often answered before the body was read; send the answer, then drain, so no reset eats it.
      config.routes.after(ctx -> {
        if (ctx.statusCode() >= 400 && UnreadBody.mayRemain(ctx)) {
          UnreadBody.answerThenDrain(ctx);
        }
      });
      config.requestLogger.http((ctx, ms) -> requestLog.record(entry(ctx, clock)));
      java.util.Set<String> wsPaths = new java.util.HashSet<>();
      wsRoutes.forEach(w -> wsPaths.add(w.path()));
      // Upgrades (accepted: 101, refused: 4xx) are requests too; the route names the path, never the query.
      config.requestLogger.ws(ws -> ws.onUpgrade((ctx, ms) -> requestLog.record(upgradeEntry(ctx, wsPaths, clock))));
    });
  }

  private static void beginRequest(Context ctx, RequestIds ids) {
    RequestContext rc = RequestContext.begin(ctx, ids.acceptOrMint(ctx.header(RequestIds.HEADER)), System.nanoTime());
    ctx.header(RequestIds.HEADER, rc.requestId());
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
  }

  /**
   * The API is stateless, but Javalin copies the HTTP session's attributes on every WebSocket
   * upgrade, which creates a session: without this each upgrade answered with a stray
   * {@code JSESSIONID} cookie and left a session in memory until the scavenger's next pass. Here a
   * session is never sent as a cookie and is dropped as soon as its request ends.
   */
  private static void withoutSessionCookies(org.eclipse.jetty.ee10.servlet.ServletContextHandler handler) {
    org.eclipse.jetty.ee10.servlet.SessionHandler sessions = new org.eclipse.jetty.ee10.servlet.SessionHandler();
    sessions.setUsingCookies(false);
    sessions.setSessionTrackingModes(java.util.Set.of());
    org.eclipse.jetty.session.DefaultSessionCache cache = new org.eclipse.jetty.session.DefaultSessionCache(sessions);
    cache.setEvictionPolicy(org.eclipse.jetty.session.SessionCache.EVICT_ON_SESSION_EXIT);
    cache.setSessionDataStore(new org.eclipse.jetty.session.NullSessionDataStore());
    sessions.setSessionCache(cache);
    handler.setSessionHandler(sessions);
  }

  private void configureTls(io.javalin.config.JavalinConfig config, HttpSettings.Tls tls) {
    config.jetty.modifyServer(server -> {
      // Replace Javalin's plain default connector: the main port speaks HTTPS only.
      for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
        server.removeConnector(c);
      }
    });
    config.jetty.addConnector((server, http) -> TlsConnectors.https(server, http, settings.host(), settings.port(), tls));
    if (tls.httpRedirectPort() >= 0) {
      config.jetty.addConnector((server, http) -> TlsConnectors.plain(server, http, settings.host(), tls.httpRedirectPort()));
      config.routes.before(ctx -> {
        if (!ctx.req().isSecure()) {
          String host = hostWithoutPort(ctx.host());
          String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
          ctx.header("Location", "https://" + host + ":" + httpsPort() + ctx.path() + query);
          ctx.status(308);
          ctx.skipRemainingHandlers();
        }
      });
    }
  }

  private static String hostWithoutPort(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return "localhost";
    }
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      return end > 0 ? hostHeader.substring(0, end + 1) : "localhost";
    }
    int colon = hostHeader.indexOf(':');
    String h = colon >= 0 ? hostHeader.substring(0, colon) : hostHeader;
    return h.matches("[A-Za-z0-9.-]{1,253}") ? h : "localhost";
  }

  private static boolean isEmpty(Context ctx) {
    String r = ctx.result();
    return r == null || r.isEmpty();
  }

  private static void writeFrameworkError(ErrorEnvelope errors, Context ctx, int status) {
    ErrorCode code = ErrorEnvelope.forStatus(status);
    errors.write(ctx, code, code == ErrorCode.INVALID_REQUEST ? "request could not be processed" : code.code().replace('_', ' '));
  }

  private static RequestLogEntry upgradeEntry(Context ctx, java.util.Set<String> wsPaths, Clock clock) {
    String route = wsPaths.contains(ctx.path()) ? "GET " + ctx.path() : "GET (unmatched)";
    return entry(ctx, route, clock);
  }

  private static RequestLogEntry entry(Context ctx, Clock clock) {
    String route;
    try {
      Endpoint e = ctx.endpoints().matchedHttpEndpoint();
      route = e == null ? ctx.method().name() + " (unmatched)" : e.method.name() + " " + e.path;
    } catch (RuntimeException e) {
      route = ctx.method().name() + " (unmatched)";
    }
    return entry(ctx, route, clock);
  }

  private static RequestLogEntry entry(Context ctx, String route, Clock clock) {
    RequestContext rc = RequestContext.of(ctx);
    Principal p = rc.principal();
    long micros = (System.nanoTime() - rc.startedNanos()) / 1_000;
    return new RequestLogEntry(rc.requestId(), p == null ? null : p.envId(), p == null ? null : p.keyId(),
        route, ctx.statusCode(), micros, clock.instant());
  }

  public HttpApi start() {
    app.start();
    return this;
  }

  /** The bound main port (useful with port 0). */
  public int port() {
    if (settings.tls().isEmpty()) {
      return app.port();
    }
    return httpsPort();
  }

  private int httpsPort() {
    for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector && c.getProtocols().contains("ssl")) {
        return ((ServerConnector) c).getLocalPort();
      }
    }
    return settings.port();
  }

  /** The bound plain redirect port when TLS is on, else -1. */
  public int redirectPort() {
    for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector && !c.getProtocols().contains("ssl")) {
        return ((ServerConnector) c).getLocalPort();
      }
    }
    return -1;
  }

  public List<Route> routes() {
    return routes;
  }

  @Override
  public void close() {
    app.stop();
  }
}
