package dev.lensgate.server.stream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Live subscriptions per API key across all sockets of this node, for the per-key cap. Thread-safe. */
final class KeyCounts {
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final int maxPerKey;

  KeyCounts(int maxPerKey) {
    this.maxPerKey = maxPerKey;
  }

  /** Takes one slot for {@code keyId}; false (nothing taken) when the key is at its cap. */
  boolean tryAcquire(String keyId) {
    AtomicInteger c = counts.computeIfAbsent(keyId, k -> new AtomicInteger());
    if (c.incrementAndGet() > maxPerKey) {
      c.decrementAndGet();
      return false;
    }
    return true;
  }

  void release(String keyId) {
    counts.computeIfPresent(keyId, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
  }

  int count(String keyId) {
    AtomicInteger c = counts.get(keyId);
    return c == null ? 0 : c.get();
  }
}
