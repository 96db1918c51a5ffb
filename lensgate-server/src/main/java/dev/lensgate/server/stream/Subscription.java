package dev.lensgate.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filter;
import dev.lensgate.server.shape.RowShaper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One live subscription or observation of a socket: the hub's {@link EventSink} for it, and what
 * it was authorized with (so a config push can re-check it). Events are shaped here — declared
 * fields through their transforms, like query results; a delete carries the primary key only — and
 * handed to the socket's queue, never written on the hub thread.
 *
 * <p>An observation starts {@linkplain #holdEvents() holding} events: its first frame must be the
 * record's current state, read from the index after registering (so no change can fall between
 * the read and the registration); events that arrive meanwhile follow that frame.
 */
final class Subscription implements EventSink {
  /** Where shaped frames go; false means the socket's queue is full. */
  interface Frames {
    boolean offer(String frame);

    void overflow();

    /** The hub ended this subscription by itself (e.g. overloaded); the socket tells the client. */
    void ended(String subscriptionId, String code);
  }

  private final String id;
  private final String lensName;
  private final Optional<JsonNode> where;
  private final Optional<String> recordId;
  private final ServerFrames encoder;
  private final Frames out;
  private final int maxHeld;
  private volatile Authorized authorized;
  private volatile boolean ended;
  private List<String> held;
  private StreamHub.Registration registration;
  private ScheduledFuture<?> expiry;

  /** What the subscription was last authorized with. */
  record Authorized(LensConfig lens, Optional<Filter> ruleFilter, Filter where, RowMatcher matcher) {
    Authorized {
      Objects.requireNonNull(lens, "lens");
      Objects.requireNonNull(ruleFilter, "ruleFilter");
      Objects.requireNonNull(where, "where");
      Objects.requireNonNull(matcher, "matcher");
    }
  }

  Subscription(String id, String lensName, Optional<JsonNode> where, Optional<String> recordId, Authorized authorized,
      ServerFrames encoder, Frames out, int maxHeld) {
    this.id = id;
    this.lensName = lensName;
    this.where = where;
    this.recordId = recordId;
    this.authorized = authorized;
    this.encoder = encoder;
    this.out = out;
    this.maxHeld = maxHeld;
  }

  String id() { return id; }

  String lensName() { return lensName; }

  Optional<JsonNode> where() { return where; }

  Optional<String> recordId() { return recordId; }

  Authorized authorized() { return authorized; }

  void authorized(Authorized a) { this.authorized = a; }

  synchronized void registration(StreamHub.Registration r) {
    StreamHub.Registration old = registration;
    registration = r;
    if (old != null) {
      old.close();
    }
    if (ended) {
      r.close();
    }
  }

  synchronized void expiry(ScheduledFuture<?> f) {
    expiry = f;
    if (ended) {
      f.cancel(false);
    }
  }

  /** Stops delivery (idempotent): closes the hub registration and the expiry timer. */
  void end() {
    StreamHub.Registration r;
    ScheduledFuture<?> e;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      held = null;
      r = registration;
      e = expiry;
    }
    if (r != null) {
      r.close();
    }
    if (e != null) {
      e.cancel(false);
    }
  }

  synchronized void holdEvents() {
    held = new ArrayList<>();
  }

  /** Sends the observed record's state (null: absent or not visible), then the events held meanwhile. */
  void releaseWith(Map<String, Object> storedRow) {
    Authorized a = authorized;
    Map<String, Object> visible = storedRow != null && a.matcher().matches(storedRow) ? shape(a.lens(), storedRow) : null;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (!out.offer(encoder.record(id, visible))) {
        out.overflow();
        return;
      }
      List<String> pending = held;
      held = null;
      for (String frame : pending) {
        if (!out.offer(frame)) {
          out.overflow();
          return;
        }
      }
    }
  }

  /**
   * Queues the event's frame. Under this object's lock, so once {@link #end()} returned no event of
   * this subscription can be queued (a {@code closed} frame sent after it is the last word).
   */
  @Override
  public void deliver(StreamEvent event) {
    if (ended) {
      return;
    }
    String frame = encode(event);
    boolean full;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (held != null) {
        full = held.size() >= maxHeld;
        if (!full) {
          held.add(frame);
        }
      } else {
        full = !out.offer(frame);
      }
    }
    if (full) {
      out.overflow();
    }
  }

  @Override
  public void ended(StreamEnd reason) {
    if (!ended) {
      out.ended(id, reason.code());
    }
  }

  private String encode(StreamEvent event) {
    LensConfig lens = authorized.lens();
    Map<String, Object> record;
    if (event.kind() == StreamEvent.Kind.DELETE) {
      // A delete reveals the primary key only.
      String pk = lens.schema().primaryKey();
      Map<String, Object> key = new LinkedHashMap<>();
      key.put(pk, event.row().containsKey(pk) ? event.row().get(pk) : event.id());
      record = shape(lens, key);
    } else {
      record = shape(lens, event.row());
    }
    return encoder.event(id, event.kind(), record);
  }

  private static Map<String, Object> shape(LensConfig lens, Map<String, Object> row) {
    return RowShaper.shape(lens, List.of(row)).get(0);
  }
}
