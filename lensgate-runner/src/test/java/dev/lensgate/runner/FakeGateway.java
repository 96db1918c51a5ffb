package dev.lensgate.runner;

import dev.lensgate.core.runner.MalformedFrameException;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket server on 127.0.0.1 speaking the gateway's side of the runner protocol just
 * enough for connection tests: hello on connect (or refused for the token {@link #REVOKED}),
 * every runner frame recorded.
 */
final class FakeGateway implements AutoCloseable {
  static final String GOOD = "rk_acme_GOODtoken0123456789abcdef";
  static final String REVOKED = "rk_acme_REVOKEDtoken0123456789abc";

  final RunnerFrameCodec codec = RunnerFrameCodec.withDefaults();
  final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
  final AtomicInteger connections = new AtomicInteger();
  private volatile WsContext latest;
  private final Javalin app;

  FakeGateway() {
    app = Javalin.create(cfg -> cfg.routes.addWsHandler(WsHandlerType.WEBSOCKET, "/v1/runner/connect", ws -> {
      ws.onConnect(ctx -> {
        connections.incrementAndGet();
        latest = ctx;
        // The runner sends its token as a bearer header (never in the URL).
        if (("Bearer " + REVOKED).equals(ctx.header("Authorization"))) {
          ctx.send(codec.encode(new RunnerFrame.Refused("key_revoked")));
          ctx.closeSession(1008, "refused");
          return;
        }
        ctx.send(codec.encode(new RunnerFrame.Hello("edge-1", "s" + connections.get(), 25)));
      });
      ws.onMessage(ctx -> {
        try {
          received.add(codec.decode(ctx.message()));
        } catch (MalformedFrameException e) {
          received.add(e);
        }
      });
      ws.onClose(ctx -> closes.add(ctx.status() + ""));
    })).start("127.0.0.1", 0);
  }

  String url() {
    return "ws://127.0.0.1:" + app.port();
  }

  void send(String text) {
    latest.send(text);
  }

  void send(RunnerFrame frame) {
    send(codec.encode(frame));
  }

  void sendBinaryToLatest(byte[] bytes) {
    latest.send(java.nio.ByteBuffer.wrap(bytes));
  }

  void dropLatest() {
    latest.closeSession(1001, "going away");
  }

  /** The next runner frame of {@code type}, skipping heartbeats unless asked for. */
  <T extends RunnerFrame> T next(Class<T> type) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      Object o = received.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(o)) {
        return type.cast(o);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " frame arrived");
  }

  @Override
  public void close() {
    app.stop();
  }
}
