package dev.lensgate.server.stream;

/**
 * Where a registration's events go (one subscription of one socket). Called on a hub thread; must
 * not block: a socket queues the frame, bounded, and closes a consumer that falls behind.
 */
@FunctionalInterface
public interface EventSink {
  void deliver(StreamEvent event);
}
