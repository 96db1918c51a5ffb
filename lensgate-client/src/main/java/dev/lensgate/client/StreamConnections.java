package dev.lensgate.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The stream sockets of one client family (a built client and its {@code withUser} copies), one
 * per set of credentials: every subscription made with the same key and user token shares one
 * socket; a different user token gets its own (the gateway authorizes a socket as one principal).
 *
 * <p>Threads (daemon, so a forgotten {@code close()} never keeps a JVM alive) are started by the
 * first subscription, not by {@code build()}. Lock order: this, then a connection; connections
 * call back ({@link #released}) without holding their own lock.
 */
final class StreamConnections {
  private final HttpClient http;
  private final URI streamUri;
  private final Duration connectTimeout;
  private final JsonTree json;
  private final Clock clock;
  private final Duration backoffBase;
  private final Duration backoffCap;
  private final Duration pingInterval;

  // Guarded by this.
  private final Map<String, StreamConnection> byCredentials = new HashMap<>();
  private StreamSettings settings;
  private ScheduledThreadPoolExecutor scheduler;
  private ExecutorService callbacks;
  private boolean closed;

  StreamConnections(HttpClient http, URI baseUrl, Duration connectTimeout, JsonTree json, Clock clock,
      Duration backoffBase, Duration backoffCap, Duration pingInterval) {
    this.http = http;
    this.streamUri = StreamSettings.streamUri(baseUrl);
    this.connectTimeout = connectTimeout;
    this.json = json;
    this.clock = clock;
    this.backoffBase = backoffBase;
    this.backoffCap = backoffCap;
    this.pingInterval = pingInterval;
  }

  /**
   * Opens a subscription on the socket of {@code credentials}.
   *
   * @param openFrame builds the subscribe/observe frame for the id the socket assigns
   */
  synchronized Subscription open(Credentials credentials, String lens, Function<Opening, String> openFrame,
      SubscriptionListener listener) {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
    StreamSettings s = settings();
    String key = credentials.streamKey();
    while (true) {
      StreamConnection c = byCredentials.computeIfAbsent(key, k -> new StreamConnection(s, credentials, this::released));
      String id = c.newId();
      LiveSubscription sub = new LiveSubscription(id, lens, openFrame.apply(new Opening(id, c.frames())),
          listener, s.callbacks());
      if (c.add(sub)) {
        return sub;
      }
      byCredentials.remove(key, c); // retired between lookup and add: start a fresh one
    }
  }

  /** The id a new subscription gets, and the codec to write its frame with. */
  record Opening(String id, StreamFrames frames) {}

  /** A connection ran out of subscriptions: forget it unless one arrived meanwhile. */
  private synchronized void released(StreamConnection c) {
    if (c.retireIfEmpty()) {
      byCredentials.values().remove(c);
    }
  }

  /** Ends the subscriptions of {@code credentials} ({@link CloseReason#CLIENT_CLOSED}). */
  void close(Credentials credentials) {
    StreamConnection c;
    synchronized (this) {
      c = byCredentials.remove(credentials.streamKey());
    }
    if (c != null) {
      c.closeAll(CloseReason.local(CloseReason.CLIENT_CLOSED));
    }
  }

  /** Ends every subscription, stops the threads once queued callbacks ran; later opens fail. */
  void closeAll() {
    List<StreamConnection> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(byCredentials.values());
      byCredentials.clear();
    }
    for (StreamConnection c : all) {
      c.closeAll(CloseReason.local(CloseReason.CLIENT_CLOSED));
    }
    synchronized (this) {
      if (scheduler != null) {
        scheduler.shutdownNow();
        callbacks.shutdown(); // the onClosed calls just queued still run
      }
    }
  }

  private StreamSettings settings() {
    if (settings == null) {
      scheduler = new ScheduledThreadPoolExecutor(1, daemon("lensgate-stream-timer"));
      scheduler.setRemoveOnCancelPolicy(true);
      scheduler.setKeepAliveTime(30, TimeUnit.SECONDS);
      scheduler.allowCoreThreadTimeOut(true);
      callbacks = Executors.newCachedThreadPool(daemon("lensgate-stream-listener"));
      settings = new StreamSettings(http, streamUri, connectTimeout, json, clock, backoffBase, backoffCap,
          pingInterval, scheduler, callbacks);
    }
    return settings;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
