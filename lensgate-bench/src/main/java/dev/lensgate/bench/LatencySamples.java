package dev.lensgate.bench;

import java.util.Arrays;

/**
 * Every latency one client thread measured, in nanoseconds. Growable, single-writer; merged and
 * sorted once after the run, so percentiles are exact rather than bucketed.
 */
final class LatencySamples {
  private long[] nanos = new long[1 << 16];
  private int size;

  void add(long latencyNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = latencyNanos;
  }

  int size() {
    return size;
  }

  /** All samples of all threads, sorted ascending. */
  static long[] mergeSorted(Iterable<LatencySamples> all) {
    int total = 0;
    for (LatencySamples s : all) {
      total += s.size;
    }
    long[] out = new long[total];
    int at = 0;
    for (LatencySamples s : all) {
      System.arraycopy(s.nanos, 0, out, at, s.size);
      at += s.size;
    }
    Arrays.sort(out);
    return out;
  }

  /** Nearest-rank percentile of sorted samples; {@code q} in (0, 1]. */
  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
