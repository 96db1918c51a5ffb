package dev.lensgate.server.stream;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live registration of {@link InProcessStreamHub}: turns a change into what this subscriber
 * sees of it and hands that to its sink. Delivery happens on a hub lane thread; closing may happen
 * on any thread, is idempotent, and stops delivery for every event the lanes pick up afterwards
 * (a delivery already running on a lane may still complete).
 */
final class HubRegistration implements StreamHub.Registration {
  private static final Logger LOG = LoggerFactory.getLogger(HubRegistration.class);

  private final String envId;
  private final String lens;
  private final RowMatcher matcher;
  private final EventSink sink;
  /** The indexed equality field and its value's key, or null/null when not indexed. */
  private final String indexField;
  private final Object indexKey;
  private final Consumer<HubRegistration> unregister;
  private final AtomicBoolean closed = new AtomicBoolean();

  HubRegistration(String envId, String lens, RowMatcher matcher, EventSink sink,
      Consumer<HubRegistration> unregister) {
    this.envId = envId;
    this.lens = lens;
    this.matcher = matcher;
    this.sink = sink;
    this.unregister = unregister;
    Optional<Map.Entry<String, Object>> equality = matcher.requiredEquality();
    Object key = equality.map(e -> EqualityKey.of(e.getValue())).orElse(null);
    this.indexField = key == null ? null : equality.get().getKey();
    this.indexKey = key;
  }

  String envId() { return envId; }

  String lens() { return lens; }

  String indexField() { return indexField; }

  Object indexKey() { return indexKey; }

  boolean isClosed() { return closed.get(); }

  /** Tells the sink about {@code change} as this subscriber sees it, if it sees it at all. */
  void offer(ChangeEvent change, long publishedNanos) {
    if (closed.get()) {
      return;
    }
    StreamEvent event;
    try {
      event = eventFor(change, matcher, publishedNanos);
    } catch (RuntimeException e) {
      failed("matcher", e);
      return;
    }
    if (event == null) {
      return;
    }
    try {
      sink.deliver(event);
    } catch (RuntimeException e) {
      failed("sink", e);
    }
  }

  /**
   * The transition rule: with seenBefore = before passes and seesAfter = after passes, (F,T) is an
   * insert of after, (T,T) an update to after, (T,F) a delete carrying before, (F,F) nothing (null).
   */
  static StreamEvent eventFor(ChangeEvent change, RowMatcher matcher, long publishedNanos) {
    boolean seenBefore = change.before().isPresent() && matcher.matches(change.before().get());
    boolean seesAfter = change.after().isPresent() && matcher.matches(change.after().get());
    if (seesAfter) {
      return new StreamEvent(seenBefore ? StreamEvent.Kind.UPDATE : StreamEvent.Kind.INSERT, change.id(),
          change.after().get(), publishedNanos);
    }
    if (seenBefore) {
      return new StreamEvent(StreamEvent.Kind.DELETE, change.id(), change.before().get(), publishedNanos);
    }
    return null;
  }

  private void failed(String what, RuntimeException e) {
    // The exception's message may quote row values: log its type only.
    LOG.warn("stream registration on lens {} of environment {} ended: its {} threw {}", lens, envId, what,
        e.getClass().getName());
    end(StreamEnd.SINK_FAILED);
  }

  /** Ends the registration on the hub's initiative and tells the sink why (once). */
  void end(StreamEnd reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    unregister.accept(this);
    try {
      sink.ended(reason);
    } catch (RuntimeException e) {
      LOG.warn("stream sink threw {} when told its registration ended", e.getClass().getName());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      unregister.accept(this);
    }
  }
}
