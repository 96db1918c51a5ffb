package dev.lensgate.server.runner;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.MalformedFrameException;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import dev.lensgate.server.authenticate.KeyAuthenticator;
import dev.lensgate.server.http.WsRoute;
import dev.lensgate.server.store.RunnerInfo;
import dev.lensgate.server.store.RunnerStore;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/runner/connect} with {@code Authorization: Bearer rk_...} or {@code ?token=rk_...} (CONTRACT §7).
 *
 * <p>The token is verified before the upgrade: unknown, malformed or revoked → the upgrade is
 * answered {@code 401} with the error envelope; any key type but {@code rk_} → {@code 403
 * key_type_not_allowed}; an {@code rk_} key without a runner identity → {@code 401
 * invalid_api_key}. No socket opens and no job can be sent. After the upgrade the key is checked
 * once more (a revocation may have landed in between), then the session gets {@code hello}.
 *
 * <p>From the runner only {@code heartbeat}, {@code result} and {@code error} are accepted; a
 * malformed frame, a gateway-direction frame or a binary message closes the socket with 1008
 * (its jobs then fail as {@code runner_failed}). The token is never logged: logs name the runner id.
 */
public final class RunnerEndpoint {
  public static final String PATH = "/v1/runner/connect";
  private static final Logger LOG = LoggerFactory.getLogger(RunnerEndpoint.class);
  private static final String RUNNER_ATTRIBUTE = "lensgate.runner";
  private static final String SESSION_ATTRIBUTE = "lensgate.runnerSession";

  private final KeyAuthenticator authenticator;
  private final RunnerStore runners;
  private final RunnerSessions sessions;
  private final JobDispatcher dispatcher;
  private final RunnerFrameCodec codec;
  private final Clock clock;
  private final AtomicLong malformedFrames = new AtomicLong();

  public RunnerEndpoint(KeyAuthenticator authenticator, RunnerStore runners, RunnerSessions sessions,
      JobDispatcher dispatcher, RunnerFrameCodec codec, Clock clock) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.runners = Objects.requireNonNull(runners, "runners");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public WsRoute route() {
    return new WsRoute(PATH, this::beforeUpgrade, this::configure, codec.maxFrameBytes());
  }

  /** Frames from runners that were not valid protocol frames. */
  public long malformedFrames() {
    return malformedFrames.get();
  }

  private void beforeUpgrade(Context ctx) {
    RunnerInfo runner = verify(ctx.header("Authorization"), ctx.queryParam("token"));
    ctx.attribute(RUNNER_ATTRIBUTE, runner);
  }

  /**
   * The runner's key comes in {@code Authorization: Bearer rk_...} (what our runner sends, so no
   * request line holds it) or, as CONTRACT §7 allows, in {@code ?token=}; the header wins.
   */
  private RunnerInfo verify(String authorizationHeader, String queryToken) {
    Principal p = authorizationHeader != null ? authenticator.authenticate(authorizationHeader)
        : authenticator.authenticateKey(queryToken);
    if (p.type() != KeyType.RK) {
      throw new LensgateException(ErrorCode.KEY_TYPE_NOT_ALLOWED, "only runner (rk_) keys may connect here");
    }
    return runners.findByKey(p.keyId())
        .orElseThrow(() -> new LensgateException(ErrorCode.INVALID_API_KEY, "invalid API key"));
  }

  private void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      RunnerInfo runner = ctx.attribute(RUNNER_ATTRIBUTE);
      if (runner == null) {
        refuseUnopened(ctx, "invalid_api_key");
        return;
      }
      ctx.session.setIdleTimeout(sessions.heartbeatInterval().multipliedBy(2).plus(Duration.ofSeconds(5)));
      RunnerSession s = sessions.open(runner, socket(ctx));
      ctx.attribute(SESSION_ATTRIBUTE, s);
      try {
        // A revocation between upgrade and registration would otherwise be missed.
        verify(ctx.header("Authorization"), ctx.queryParam("token"));
      } catch (LensgateException e) {
        // Same words as the poller's close ("key revoked"), so operators grep one phrase.
        LOG.info("runner {} session closed at connect: {}", runner.id(), e.code().code().replace('_', ' '));
        s.refuse(e.code().code());
        sessions.closed(s);
        return;
      }
      LOG.info("runner {} ({}) connected", runner.id(), runner.name());
    });
    ws.onMessage(ctx -> {
      RunnerSession s = ctx.attribute(SESSION_ATTRIBUTE);
      if (s == null || s.isClosed()) {
        return;
      }
      RunnerFrame frame;
      try {
        frame = codec.decode(ctx.message());
      } catch (MalformedFrameException e) {
        rejectFrame(s, "malformed_frame");
        return;
      }
      handle(s, frame);
    });
    ws.onBinaryMessage(ctx -> {
      RunnerSession s = ctx.attribute(SESSION_ATTRIBUTE);
      if (s != null) {
        rejectFrame(s, "binary_frame");
      }
    });
    ws.onClose(ctx -> {
      RunnerSession s = ctx.attribute(SESSION_ATTRIBUTE);
      if (s != null) {
        sessions.closed(s);
        LOG.info("runner {} disconnected ({})", s.runner().id(), ctx.status());
      }
    });
    ws.onError(ctx -> {
      RunnerSession s = ctx.attribute(SESSION_ATTRIBUTE);
      if (s != null) {
        s.close(RunnerSession.CLOSE_GOING_AWAY, "socket_error");
        sessions.closed(s);
      }
    });
  }

  private void handle(RunnerSession s, RunnerFrame frame) {
    if (frame instanceof RunnerFrame.Result) {
      dispatcher.onResult(s, (RunnerFrame.Result) frame);
    } else if (frame instanceof RunnerFrame.Error) {
      dispatcher.onError(s, (RunnerFrame.Error) frame);
    } else if (frame instanceof RunnerFrame.Heartbeat) {
      RunnerFrame.Heartbeat hb = (RunnerFrame.Heartbeat) frame;
      sessions.heartbeat(s, hb);
      try {
        runners.heartbeat(s.runner().id(), clock.instant(), hb.version());
      } catch (RuntimeException e) {
        LOG.warn("runner {} heartbeat not stored: {}", s.runner().id(), e.getClass().getName());
      }
    } else {
      rejectFrame(s, "unexpected_frame");
    }
  }

  private void rejectFrame(RunnerSession s, String reason) {
    malformedFrames.incrementAndGet();
    LOG.warn("runner {} sent a bad frame ({}); closing", s.runner().id(), reason);
    s.close(RunnerSession.CLOSE_POLICY, reason);
    sessions.closed(s);
  }

  private void refuseUnopened(WsContext ctx, String code) {
    ctx.send(codec.encode(new RunnerFrame.Refused(code)));
    ctx.closeSession(RunnerSession.CLOSE_POLICY, code);
  }

  private static RunnerSocket socket(WsContext ctx) {
    return new RunnerSocket() {
      @Override
      public void send(String text) {
        ctx.send(text);
      }

      @Override
      public void close(int status, String reason) {
        ctx.closeSession(status, reason);
      }
    };
  }
}
