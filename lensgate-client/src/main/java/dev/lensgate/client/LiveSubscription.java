package dev.lensgate.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One subscription on a {@link StreamConnection}: the frame that (re)opens it, and the listener
 * behind a per-subscription {@link SerialExecutor}. Every callback is queued there, so the socket
 * thread never runs application code and a listener that throws is contained here.
 *
 * <p>Invariant: {@code onClosed} is queued exactly once, after every other callback of the
 * subscription (the connection stops routing to a subscription before finishing it).
 */
final class LiveSubscription implements Subscription {
  /**
   * Callbacks queued but not yet run. Beyond this the listener cannot keep up: the subscription
   * ends ({@link CloseReason#LISTENER_OVERFLOW}) rather than buffering without bound, and the socket stays
   * free for the others.
   */
  static final int MAX_PENDING_CALLBACKS = 10_000;
  private static final System.Logger LOG = System.getLogger(LiveSubscription.class.getName());

  private final String id;
  private final String lens;
  private final String openFrame;
  private final SubscriptionListener listener;
  private final Executor callbacks;
  private final AtomicReference<CloseReason> closed = new AtomicReference<>();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile StreamConnection connection; // set once by the connection that registers it
  private boolean interrupted; // guarded by the connection's lock

  LiveSubscription(String id, String lens, String openFrame, SubscriptionListener listener, Executor shared) {
    this.id = id;
    this.lens = lens;
    this.openFrame = openFrame;
    this.listener = listener;
    this.callbacks = new SerialExecutor(shared);
  }

  void attach(StreamConnection connection) {
    this.connection = connection;
  }

  String openFrame() {
    return openFrame;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String lens() {
    return lens;
  }

  @Override
  public boolean isOpen() {
    return closed.get() == null;
  }

  @Override
  public Optional<CloseReason> closeReason() {
    return Optional.ofNullable(closed.get());
  }

  @Override
  public void close() {
    if (closed.get() == null && connection != null) {
      connection.unsubscribe(this);
    }
    finish(CloseReason.local(CloseReason.UNSUBSCRIBED));
  }

  /** Queues the event; false when the listener is {@link #MAX_PENDING_CALLBACKS} behind. */
  boolean event(ChangeEvent.Kind kind, Map<String, Object> record) {
    if (pending.get() >= MAX_PENDING_CALLBACKS) {
      return false;
    }
    ChangeEvent e = new ChangeEvent(lens, kind, new Row(record));
    dispatch("onEvent", () -> listener.onEvent(e));
    return true;
  }

  void record(Optional<Row> record) {
    dispatch("onRecord", () -> listener.onRecord(record));
  }

  /** The socket went down for a retryable reason; tells the listener once per outage. */
  void interrupt(CloseReason reason) {
    if (!interrupted && isOpen()) {
      interrupted = true;
      dispatch("onReconnecting", () -> listener.onReconnecting(reason));
    }
  }

  /** The open frame was sent again on a fresh socket. */
  void resumed() {
    if (interrupted) {
      interrupted = false;
      dispatch("onResumed", listener::onResumed);
    }
  }

  /** Ends the subscription; only the first reason counts. */
  void finish(CloseReason reason) {
    if (closed.compareAndSet(null, reason)) {
      dispatch("onClosed", () -> listener.onClosed(reason));
    }
  }

  private void dispatch(String callback, Runnable call) {
    pending.incrementAndGet();
    callbacks.execute(() -> {
      try {
        call.run();
      } catch (RuntimeException e) {
        // The class only: a listener's message may quote the row it was handling.
        LOG.log(System.Logger.Level.WARNING, "stream listener " + callback + " of subscription " + id
            + " on lens " + lens + " threw " + e.getClass().getName() + "; the stream carries on");
      } finally {
        pending.decrementAndGet();
      }
    });
  }

  @Override
  public String toString() {
    return "Subscription[id=" + id + ", lens=" + lens + ", open=" + isOpen() + "]";
  }
}
