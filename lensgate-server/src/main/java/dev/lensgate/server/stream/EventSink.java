package dev.lensgate.server.stream;

/**
 * Where a registration's events go (one subscription of one socket). Called on a hub thread; must
 * not block: a socket queues the frame, bounded, and closes a consumer that falls behind.
 */
@FunctionalInterface
public interface EventSink {
  void deliver(StreamEvent event);

  /**
   * The hub ended this registration by itself (see {@link StreamEnd}); no event follows. Called at
   * most once, not when the owner closed the registration; must not block. Default: nothing.
   */
  default void ended(StreamEnd reason) {
  }
}
