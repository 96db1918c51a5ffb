package dev.lensgate.server.stream;

import java.util.ArrayDeque;

/**
 * The bounded write queue of one socket. Producers (hub threads, the socket's own reader) never
 * block: {@link #offer} appends and returns; one frame at a time is handed to the {@link Outlet},
 * the next one when the previous write completed. A peer that stops reading makes writes stall,
 * the queue fills, and {@link #offer} answers {@code false} — the caller then ends the socket as a
 * slow consumer instead of letting memory grow. Thread-safe.
 */
final class SendQueue {
  private final Outlet outlet;
  private final int maxFrames;
  private final long maxChars;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private long queuedChars;
  private boolean inFlight;
  private boolean pumping;
  private boolean closed;
  private int highWaterFrames;

  SendQueue(Outlet outlet, int maxFrames, long maxChars) {
    this.outlet = outlet;
    this.maxFrames = maxFrames;
    this.maxChars = maxChars;
  }

  /**
   * Queues {@code text} for writing.
   *
   * @return false when the queue is full (nothing was queued) ; true when queued or the queue is closed
   */
  boolean offer(String text) {
    synchronized (this) {
      if (closed) {
        return true;
      }
      if (queue.size() >= maxFrames || queuedChars + text.length() > maxChars) {
        return false;
      }
      queue.addLast(text);
      queuedChars += text.length();
      highWaterFrames = Math.max(highWaterFrames, queue.size());
    }
    pump();
    return true;
  }

  /**
   * Drops what is queued and refuses further frames, then writes {@code last} (if not null) and
   * closes with {@code status}/{@code reason}. A write still in flight stays; the outlet orders the
   * last frame after it.
   */
  void closeWith(String last, int status, String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      queuedChars = 0;
    }
    if (last != null) {
      outlet.send(last, () -> { }, t -> { });
    }
    outlet.close(status, reason);
  }

  /** Drops everything queued; the socket is gone. */
  void discard() {
    synchronized (this) {
      closed = true;
      queue.clear();
      queuedChars = 0;
    }
  }

  synchronized int queuedFrames() {
    return queue.size();
  }

  synchronized long queuedChars() {
    return queuedChars;
  }

  /** The most frames that were ever waiting at once (memory stays bounded by the caps). */
  synchronized int highWaterFrames() {
    return highWaterFrames;
  }

  /**
   * Hands queued frames to the outlet one at a time. A write that completes synchronously (inside
   * {@code send}) lets this loop continue instead of recursing through the callback.
   */
  private void pump() {
    while (true) {
      String next;
      synchronized (this) {
        if (inFlight || pumping || closed) {
          return;
        }
        next = queue.pollFirst();
        if (next == null) {
          return;
        }
        queuedChars -= next.length();
        inFlight = true;
        pumping = true;
      }
      try {
        outlet.send(next, this::written, t -> written());
      } catch (RuntimeException e) {
        // The session is going away; its close handler discards the queue.
        synchronized (this) {
          inFlight = false;
        }
      }
      synchronized (this) {
        pumping = false;
        if (inFlight) {
          return;
        }
      }
    }
  }

  private void written() {
    synchronized (this) {
      inFlight = false;
      if (pumping) {
        return;
      }
    }
    pump();
  }
}
