package dev.lensgate.bench;

/**
 * One measured load loop.
 *
 * @param ok requests that returned the expected row
 * @param failed requests that errored or returned something else (counted, never retried)
 * @param seconds wall time from the common start to the last thread's end
 */
record LoadResult(String name, int threads, long ok, long failed, double seconds, long p50Nanos, long p90Nanos,
    long p99Nanos, long maxNanos) {

  double throughputPerSecond() {
    return seconds <= 0 ? 0 : ok / seconds;
  }

  static double micros(long nanos) {
    return nanos / 1_000.0;
  }
}
