package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket server on 127.0.0.1, port 0, playing the gateway's side of {@code /v1/stream}
 * for client tests: every upgrade and every client frame is recorded, and the test sends frames,
 * drops sockets or refuses upgrades. Waits are polls with a timeout, never sleeps.
 */
final class ScriptedStreamServer implements AutoCloseable {
  static final long WAIT_SECONDS = 20;

  /** One accepted socket: what the upgrade carried, and what the client sent on it. */
  static final class Conn {
    final WsContext ctx;
    final Map<String, String> headers;
    final String queryString;
    final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

    Conn(WsContext ctx) {
      this.ctx = ctx;
      this.headers = ctx.headerMap();
      this.queryString = ctx.queryString();
    }

    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    void send(String json) {
      ctx.send(Fixtures.q(json));
    }

    /** Sends text exactly as given (for malformed frames). */
    void sendRaw(String text) {
      ctx.send(text);
    }

    /** Closes the socket the way a restarting gateway would. */
    void drop() {
      ctx.closeSession(1001, "going away");
    }

    void closeWith(int status, String reason) {
      ctx.closeSession(status, reason);
    }

    /** The next client frame, failing the test after the wait. */
    JsonNode next() throws InterruptedException {
      JsonNode f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (f == null) {
        throw new AssertionError("the client sent no frame");
      }
      return f;
    }

    /** The next frame with {@code op}, skipping others. */
    JsonNode next(String op) throws InterruptedException {
      while (true) {
        JsonNode f = next();
        if (op.equals(f.path("op").asText())) {
          return f;
        }
      }
    }

    /** Waits until the client closed this socket; returns the close status. */
    int awaitClosed() throws InterruptedException {
      Integer status = closes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (status == null) {
        throw new AssertionError("the client did not close the socket");
      }
      return status;
    }
  }

  private final Javalin app;
  private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
  private final List<Conn> all = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> refusedQueries = new LinkedBlockingQueue<>();
  private volatile int refuseStatus; // 0: accept upgrades

  ScriptedStreamServer() {
    app = Javalin.create(cfg -> {
      cfg.routes.wsBeforeUpgrade("/v1/stream", ctx -> {
        if (refuseStatus != 0) {
          refusedQueries.add(ctx.queryString() == null ? "" : ctx.queryString());
          throw new Refused();
        }
      });
      cfg.routes.exception(Refused.class, (e, ctx) -> ctx.status(refuseStatus).contentType("application/json")
          .result("{\"error\":{\"code\":\"key_revoked\",\"message\":\"the key was revoked\"}}"));
      cfg.routes.addWsHandler(WsHandlerType.WEBSOCKET, "/v1/stream", ws -> {
        ws.onConnect(ctx -> {
          Conn c = new Conn(ctx);
          ctx.attribute("conn", c);
          all.add(c);
          accepted.add(c);
        });
        ws.onMessage(ctx -> {
          Conn c = ctx.attribute("conn");
          c.frames.add(Fixtures.tree(ctx.message()));
        });
        ws.onClose(ctx -> {
          Conn c = ctx.attribute("conn");
          if (c != null) {
            c.closes.add(ctx.status());
          }
        });
      });
    }).start("127.0.0.1", 0);
  }

  /** Refusal of the upgrade, in a handler that runs before it. */
  static final class Refused extends RuntimeException {
    Refused() {
      super("refused", null, false, false);
    }
  }

  String httpUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  /** Upgrades get this HTTP status and the contract envelope ({@code key_revoked}). */
  void refuseUpgrades(int status) {
    this.refuseStatus = status;
  }

  /** The query string of the next refused upgrade. */
  String nextRefusedQuery() throws InterruptedException {
    String q = refusedQueries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (q == null) {
      throw new AssertionError("no refused upgrade arrived");
    }
    return q;
  }

  /** The next accepted socket, failing the test after the wait. */
  Conn nextConnection() throws InterruptedException {
    Conn c = accepted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("the client opened no socket");
    }
    return c;
  }

  /** Sockets accepted so far. */
  int connections() {
    return all.size();
  }

  @Override
  public void close() {
    app.stop();
  }
}
