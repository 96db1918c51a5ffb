package dev.lensgate.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@link LatencySamples} per socket-writer thread (single writer each, as LatencySamples
 * requires), so the samples cost memory per thread rather than per socket.
 */
final class WriterSamples {
  private final List<LatencySamples> all = new CopyOnWriteArrayList<>();
  private final ThreadLocal<LatencySamples> mine = ThreadLocal.withInitial(() -> {
    LatencySamples s = new LatencySamples();
    all.add(s);
    return s;
  });

  LatencySamples current() {
    return mine.get();
  }

  /** Read after the writers went idle. */
  List<LatencySamples> all() {
    return all;
  }
}
