package dev.lensgate.server.internal;

import dev.lensgate.server.audit.RequestLog;
import dev.lensgate.server.http.HttpApi;
import dev.lensgate.server.http.HttpSettings;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The runner-facing node's internal listener: its own Jetty server (through {@link HttpApi}, so it
 * keeps the request ids, the error envelope, body limits and the request log) bound to the
 * configured internal address, serving only {@code POST /internal/dispatch} and
 * {@code POST /internal/dispatch/stream}. The public listener never routes to them, and it serves
 * no public route.
 */
public final class InternalDispatchServer implements AutoCloseable {
  /** A job body is a lens mapping and a read spec: far below this. */
  public static final long MAX_BODY_BYTES = 1L << 20;

  private final HttpApi http;

  public InternalDispatchServer(String host, int port, InternalDispatchRoute route, RequestLog requestLog, Clock clock) {
    Objects.requireNonNull(route, "route");
    this.http = new HttpApi(new HttpSettings(host, port, MAX_BODY_BYTES, Optional.empty()), route.routes(),
        requestLog, clock);
  }

  public InternalDispatchServer start() {
    http.start();
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.close();
  }
}
