package dev.lensgate.server.http;

import io.javalin.http.Handler;
import io.javalin.websocket.WsConfig;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A WebSocket route: {@code beforeUpgrade} runs as an ordinary HTTP handler before the upgrade (it
 * authenticates; throwing answers the upgrade request with the error envelope and no socket opens),
 * then {@code ws} configures the socket's handlers.
 *
 * @param maxTextMessageBytes largest text message accepted on this route's sockets
 */
public record WsRoute(String path, Handler beforeUpgrade, Consumer<WsConfig> ws, long maxTextMessageBytes) {
  public WsRoute {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(beforeUpgrade, "beforeUpgrade");
    Objects.requireNonNull(ws, "ws");
    if (maxTextMessageBytes < 1024) {
      throw new IllegalArgumentException("maxTextMessageBytes must be at least 1024");
    }
  }
}
