package dev.lensgate.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Liveness of a {@link StreamConnection}'s open socket: a timer that pings the gateway, and the
 * time it was last heard from. A socket that stays silent for two ping intervals (no frame, ping or
 * pong) counts as dropped: that catches half-open connections (a NAT or a host gone without a
 * FIN), which would otherwise look like a quiet subscription forever.
 *
 * <p>Threading: everything but {@link #heard()} runs under the connection's lock; {@code heard}
 * comes from socket callbacks without it.
 */
final class StreamKeepalive {
  private final StreamSettings settings;
  private ScheduledFuture<?> timer;
  private CompletableFuture<?> lastPing = CompletableFuture.completedFuture(null);
  private volatile long lastHeardMillis; // any frame, ping or pong from the gateway

  StreamKeepalive(StreamSettings settings) {
    this.settings = settings;
  }

  /** A socket opened at {@code openedAtMillis}: {@code tick} runs every ping interval until {@link #stop()}. */
  void start(long openedAtMillis, Runnable tick) {
    lastHeardMillis = openedAtMillis;
    long every = settings.pingInterval().toMillis();
    timer = settings.scheduler().scheduleWithFixedDelay(tick, every, every, TimeUnit.MILLISECONDS);
  }

  /** The gateway said something: it is alive. */
  void heard() {
    lastHeardMillis = settings.clock().millis();
  }

  long silentMillis() {
    return settings.clock().millis() - lastHeardMillis;
  }

  /** True while {@code silentMillis} is under two ping intervals. */
  boolean alive(long silentMillis) {
    return silentMillis < 2 * settings.pingInterval().toMillis();
  }

  /** Pings the gateway, unless the previous ping is still being sent. */
  void ping(WebSocket ws) {
    if (lastPing.isDone()) {
      lastPing = ws.sendPing(ByteBuffer.allocate(0));
    }
  }

  void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    lastPing = CompletableFuture.completedFuture(null);
  }
}
