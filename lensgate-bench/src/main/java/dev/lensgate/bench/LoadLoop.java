package dev.lensgate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one closed-loop load: {@code threads} clients, each sending its next request as soon as the
 * previous one answered, until the duration is over or it has sent {@code maxRequestsPerThread}
 * (both bounds always apply, so a loop always ends by itself). Latency is measured per request
 * around the call; failures are counted, not retried and not timed.
 */
final class LoadLoop {
  /** One request; true when the answer was the expected one. Must not throw for a failed request. */
  interface Call {
    boolean call(SplittableRandom random) throws Exception;
  }

  private LoadLoop() {}

  static LoadResult run(String name, int threads, Duration duration, long maxRequestsPerThread, Call call)
      throws InterruptedException {
    List<LatencySamples> samples = new ArrayList<>();
    AtomicLong failed = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    long[] startAndEnd = new long[2];
    for (int t = 0; t < threads; t++) {
      LatencySamples mine = new LatencySamples();
      samples.add(mine);
      SplittableRandom random = new SplittableRandom(0x5eed_0000L + t);
      Thread w = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long end = startAndEnd[0] + duration.toNanos();
        for (long n = 0; n < maxRequestsPerThread; n++) {
          long t0 = System.nanoTime();
          if (t0 >= end) {
            break;
          }
          boolean ok;
          try {
            ok = call.call(random);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (Exception e) {
            ok = false;
          }
          long t1 = System.nanoTime();
          if (ok) {
            mine.add(t1 - t0);
          } else {
            failed.incrementAndGet();
          }
        }
      }, "bench-" + name + "-" + t);
      workers.add(w);
      w.start();
    }
    ready.await();
    startAndEnd[0] = System.nanoTime();
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    startAndEnd[1] = System.nanoTime();
    long[] sorted = LatencySamples.mergeSorted(samples);
    return new LoadResult(name, threads, sorted.length, failed.get(), (startAndEnd[1] - startAndEnd[0]) / 1e9,
        LatencySamples.percentile(sorted, 0.50), LatencySamples.percentile(sorted, 0.90),
        LatencySamples.percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
  }
}
