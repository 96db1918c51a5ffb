package dev.lensgate.client;

import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One multiplexed {@code /v1/stream} socket for one set of credentials, shared by all their
 * subscriptions. Opened lazily by the first subscription, closed after the last one.
 *
 * <p>A drop for a retryable reason (transport failure, {@code slow_consumer}) schedules a redial
 * after a {@link StreamBackoff} delay; the new socket sends every live subscription's open frame
 * again. A final reason ({@code key_revoked}, a 401/403 handshake, …) ends every subscription and
 * dials no more.
 *
 * <p>Threading: all state is guarded by {@code this}. Each dial has a generation number; callbacks
 * of an older socket find a different generation and are ignored, so a late close of a replaced
 * socket cannot touch the new one. Listener calls are only queued here (see {@link
 * LiveSubscription}). Sends are chained: the JDK WebSocket allows one outstanding send.
 *
 * <p>Security: the key and token travel only in the upgrade's headers; nothing here logs a frame's
 * content or any text that could hold them.
 */
final class StreamConnection {
  private static final System.Logger LOG = System.getLogger(StreamConnection.class.getName());
  private final StreamSettings settings;
  private final Credentials credentials;
  private final StreamFrames frames;
  private final StreamBackoff backoff;
  private final StreamKeepalive keepalive;
  private final Consumer<StreamConnection> onEmpty;

  // All guarded by this.
  private final Map<String, LiveSubscription> subs = new LinkedHashMap<>();
  private long nextId;
  private int generation;
  private WebSocket socket;
  private boolean dialing;
  private ScheduledFuture<?> redial;
  private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
  private long openedAtMillis;
  private boolean retired;

  StreamConnection(StreamSettings settings, Credentials credentials, Consumer<StreamConnection> onEmpty) {
    this.settings = settings;
    this.credentials = credentials;
    this.frames = new StreamFrames(settings.json(), credentials);
    this.backoff = settings.newBackoff();
    this.keepalive = new StreamKeepalive(settings);
    this.onEmpty = onEmpty;
  }

  StreamFrames frames() {
    return frames;
  }

  synchronized String newId() {
    return "s" + (++nextId);
  }

  /** Registers and opens {@code sub}; false if this connection was retired (the caller makes a new one). */
  synchronized boolean add(LiveSubscription sub) {
    if (retired) {
      return false;
    }
    sub.attach(this);
    subs.put(sub.id(), sub);
    if (socket != null) {
      send(sub.openFrame());
    } else if (!dialing && redial == null) {
      dial();
    }
    return true;
  }

  /** The application closed {@code sub}: tell the gateway, and close the socket if it was the last. */
  void unsubscribe(LiveSubscription sub) {
    boolean empty;
    synchronized (this) {
      if (subs.remove(sub.id()) == null) {
        return;
      }
      if (socket != null) {
        send(frames.unsubscribe(sub.id()));
      }
      empty = subs.isEmpty();
      if (empty) {
        goIdle();
      }
    }
    if (empty) {
      onEmpty.accept(this);
    }
  }

  /** Retires this connection if it has no subscription; the registry then forgets it. */
  synchronized boolean retireIfEmpty() {
    if (subs.isEmpty()) {
      retired = true;
    }
    return retired;
  }

  /** Ends every subscription with {@code reason} and closes the socket for good. */
  void closeAll(CloseReason reason) {
    synchronized (this) {
      retired = true;
      finishAll(reason);
      goIdle();
    }
  }

  // ---- dialing ----

  private void dial() {
    int gen = ++generation;
    dialing = true;
    WebSocket.Builder b = settings.http().newWebSocketBuilder().connectTimeout(settings.connectTimeout());
    credentials.applyTo(b);
    b.buildAsync(settings.streamUri(), new StreamSocketListener(gen, this)).whenComplete((ws, error) -> opened(gen, ws, error));
  }

  private void opened(int gen, WebSocket ws, Throwable error) {
    boolean empty = false;
    synchronized (this) {
      if (gen != generation || retired || subs.isEmpty()) {
        if (ws != null) {
          ws.abort(); // replaced or no longer wanted
        }
        if (gen == generation) {
          dialing = false;
        }
        return;
      }
      dialing = false;
      if (error != null) {
        CloseReason reason = StreamFailures.ofDial(error, settings.json(), frames);
        if (reason.retryable()) {
          scheduleRedial(reason);
        } else {
          LOG.log(System.Logger.Level.WARNING, "the gateway refused the stream socket (" + reason.code() + ")");
          finishAll(reason);
          goIdle();
          empty = true;
        }
      } else {
        socket = ws;
        openedAtMillis = settings.clock().millis();
        keepalive.start(openedAtMillis, () -> keepalive(gen));
        if (ws.isInputClosed() || ws.isOutputClosed()) {
          // It dropped before we took it over; its own close callback found no socket to end.
          endSocket(CloseReason.connectionLost("the stream socket closed while opening"));
        } else {
          for (LiveSubscription s : subs.values()) {
            send(s.openFrame());
            s.resumed();
          }
        }
        empty = subs.isEmpty();
        if (empty) {
          goIdle();
        }
      }
    }
    if (empty) {
      onEmpty.accept(this);
    }
  }

  private void scheduleRedial(CloseReason reason) {
    for (LiveSubscription s : subs.values()) {
      s.interrupt(reason);
    }
    if (redial != null) {
      return;
    }
    long delay = backoff.next().toMillis();
    LOG.log(System.Logger.Level.INFO, "stream socket down (" + reason.code() + "); reconnecting in " + delay + " ms");
    redial = settings.scheduler().schedule(this::redialNow, delay, TimeUnit.MILLISECONDS);
  }

  private synchronized void redialNow() {
    redial = null;
    if (!retired && socket == null && !dialing && !subs.isEmpty()) {
      dial();
    }
  }

  // ---- the open socket ----

  /** The socket of generation {@code gen} ended. */
  void lost(int gen, CloseReason reason) {
    boolean empty;
    synchronized (this) {
      if (gen != generation || socket == null) {
        return;
      }
      endSocket(reason);
      empty = subs.isEmpty();
      if (empty) {
        goIdle();
      }
    }
    if (empty) {
      onEmpty.accept(this);
    }
  }

  /** The gateway said something on socket {@code gen}: it is alive. */
  void heard(int gen) {
    keepalive.heard();
  }

  /** Pings the gateway, or drops a socket silent for too long ({@link StreamKeepalive}). */
  private void keepalive(int gen) {
    boolean empty;
    synchronized (this) {
      if (gen != generation || socket == null) {
        return;
      }
      long silentMillis = keepalive.silentMillis();
      if (keepalive.alive(silentMillis)) {
        keepalive.ping(socket);
        return;
      }
      LOG.log(System.Logger.Level.WARNING, "the gateway did not answer pings for " + silentMillis + " ms; reconnecting");
      endSocket(CloseReason.connectionLost("no answer to pings"));
      empty = subs.isEmpty();
      if (empty) {
        goIdle();
      }
    }
    if (empty) {
      onEmpty.accept(this);
    }
  }

  /** Drops the open socket; a final reason ends every subscription, a retryable one redials. */
  private void endSocket(CloseReason why) {
    keepalive.stop();
    WebSocket ws = socket;
    socket = null;
    generation++; // later callbacks of this socket are ignored
    sendChain = CompletableFuture.completedFuture(null);
    ws.abort();
    if (settings.clock().millis() - openedAtMillis >= backoff.capMillis()) {
      backoff.reset(); // a long healthy session: the next outage starts from the shortest delay
    }
    if (!why.retryable()) {
      LOG.log(System.Logger.Level.WARNING, "the gateway ended the stream socket (" + why.code() + ")");
      finishAll(why);
    } else if (!subs.isEmpty()) {
      scheduleRedial(why);
    }
  }

  void received(int gen, String text) {
    StreamFrames.ServerFrame frame;
    try {
      frame = frames.read(text);
    } catch (StreamFrames.Malformed e) {
      LOG.log(System.Logger.Level.WARNING, "ignored a malformed frame from the gateway: " + e.getMessage());
      return;
    }
    boolean empty;
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      route(gen, frame);
      empty = subs.isEmpty();
      if (empty) {
        goIdle();
      }
    }
    if (empty) {
      onEmpty.accept(this);
    }
  }

  private void route(int gen, StreamFrames.ServerFrame frame) {
    if (frame instanceof StreamFrames.Event) {
      StreamFrames.Event e = (StreamFrames.Event) frame;
      LiveSubscription s = subs.get(e.id());
      if (s != null) {
        backoff.reset(); // events flow: this session works
        if (!s.event(e.kind(), e.record())) {
          overflow(s);
        }
      }
    } else if (frame instanceof StreamFrames.RecordFrame) {
      StreamFrames.RecordFrame r = (StreamFrames.RecordFrame) frame;
      LiveSubscription s = subs.get(r.id());
      if (s != null) {
        backoff.reset();
        s.record(StreamFrames.row(r));
      }
    } else if (frame instanceof StreamFrames.ErrorFrame) {
      StreamFrames.ErrorFrame e = (StreamFrames.ErrorFrame) frame;
      LiveSubscription s = e.id() == null ? null : subs.remove(e.id());
      if (s != null) {
        // The gateway refused this subscription only (bad where, no grant…): the others stay.
        s.finish(new CloseReason(e.code(), e.message(), false));
      } else {
        LOG.log(System.Logger.Level.WARNING, "the gateway sent error " + e.code() + " for no open subscription");
      }
    } else {
      closed(gen, (StreamFrames.Closed) frame);
    }
  }

  /** The listener fell too far behind: end its subscription, keep the socket for the others. */
  private void overflow(LiveSubscription s) {
    LOG.log(System.Logger.Level.WARNING, "stream listener of subscription " + s.id() + " on lens " + s.lens()
        + " is " + LiveSubscription.MAX_PENDING_CALLBACKS + " callbacks behind; ending the subscription");
    subs.remove(s.id());
    send(frames.unsubscribe(s.id()));
    s.finish(new CloseReason(CloseReason.LISTENER_OVERFLOW, "the listener could not keep up", false));
  }

  private void closed(int gen, StreamFrames.Closed c) {
    CloseReason reason = CloseReason.fromServer(c.code(), null);
    if (c.id() == null) {
      endSocket(reason); // the whole socket ends; nothing after this frame is routed
      return;
    }
    LiveSubscription s = subs.get(c.id());
    if (s == null) {
      return;
    }
    if (!reason.retryable()) {
      subs.remove(c.id());
      s.finish(reason);
      return;
    }
    s.interrupt(reason);
    long delay = backoff.next().toMillis();
    settings.scheduler().schedule(() -> resend(gen, s), delay, TimeUnit.MILLISECONDS);
  }

  private synchronized void resend(int gen, LiveSubscription s) {
    if (gen == generation && socket != null && subs.get(s.id()) == s) {
      send(s.openFrame());
      s.resumed();
    }
  }

  private void send(String text) {
    WebSocket ws = socket;
    sendChain = sendChain.handle((v, e) -> null).thenCompose(v -> ws.sendText(text, true));
  }

  private void finishAll(CloseReason reason) {
    List<LiveSubscription> all = new ArrayList<>(subs.values());
    subs.clear();
    for (LiveSubscription s : all) {
      s.finish(reason);
    }
  }

  /** No subscription left: close the socket after what is queued, stop any redial. */
  private void goIdle() {
    keepalive.stop();
    generation++;
    dialing = false;
    if (redial != null) {
      redial.cancel(false);
      redial = null;
    }
    WebSocket ws = socket;
    socket = null;
    if (ws != null) {
      sendChain.handle((v, e) -> null)
          .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
          .orTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((v, e) -> ws.abort());
    }
    sendChain = CompletableFuture.completedFuture(null);
  }
}
