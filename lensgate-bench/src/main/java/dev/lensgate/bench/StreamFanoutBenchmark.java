package dev.lensgate.bench;

import dev.lensgate.server.stream.FilterMatcher;
import dev.lensgate.server.stream.InProcessStreamHub;
import dev.lensgate.server.stream.RowMatcher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 5's speed target, in one JVM: {@code --registrations} subscriptions (default 10,000), each
 * with its own rule filter ({@link FanoutLoad}), spread over {@code --sockets} (500) socket
 * stand-ins ({@link QueueingSocket}: bounded queue + shared writer pool that encodes frames), fed
 * {@code --rate} (1,000) changes/s through {@link InProcessStreamHub#changed} for
 * {@code --seconds} (30) after {@code --warmup-seconds} (10). Prints event-to-delivery latency
 * (hub receipt → socket writer) p50/p99/max, events delivered against the count expected from the
 * filters' shape, and CPU (process, hub lanes, writers, generator). No database exists in this
 * run: rows travel with the change events and filters are evaluated in memory.
 * {@code --index false} hides the matchers' required equality (brute force, for comparison).
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp lensgate-bench/target/lensgate-bench.jar dev.lensgate.bench.StreamFanoutBenchmark \
 *     --registrations 10000 --sockets 500 --rate 1000 --seconds 30 --out bench-results/stream
 * </pre>
 */
public final class StreamFanoutBenchmark {
  private StreamFanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = MachineLoad.options(args);
    int registrations = Integer.parseInt(o.getOrDefault("--registrations", "10000"));
    int socketCount = Integer.parseInt(o.getOrDefault("--sockets", "500"));
    int orgs = Integer.parseInt(o.getOrDefault("--orgs", "2000"));
    int rows = Integer.parseInt(o.getOrDefault("--rows", "100000"));
    int rate = Integer.parseInt(o.getOrDefault("--rate", "1000"));
    int warmupSeconds = Integer.parseInt(o.getOrDefault("--warmup-seconds", "10"));
    int seconds = Integer.parseInt(o.getOrDefault("--seconds", "30"));
    int lanes = Integer.parseInt(o.getOrDefault("--lanes", "2"));
    int writerThreads = Integer.parseInt(o.getOrDefault("--writers", "2"));
    int socketQueue = Integer.parseInt(o.getOrDefault("--socket-queue", "1024"));
    boolean index = Boolean.parseBoolean(o.getOrDefault("--index", "true"));
    String out = o.get("--out");

    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT,
        "StreamFanoutBenchmark: %,d registrations over %,d sockets, %,d orgs, %,d rows, %,d changes/s, %d s warmup + %d s"
        + " measured, %d hub lanes, %d writer threads, socket queue %,d, equality index %s; %d cores, Java %s, max heap"
        + " %,d MiB, load average before %s%n", registrations, socketCount, orgs, rows, rate, warmupSeconds, seconds,
        lanes, writerThreads, socketQueue, index ? "on" : "OFF", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, MachineLoad.average()));
    report.append("database reads: none (no database in this run; each change carries its rows, filters run in memory)\n");

    FanoutLoad load = new FanoutLoad(orgs, rows, 42);
    AtomicInteger writerIds = new AtomicInteger();
    ExecutorService writers = Executors.newFixedThreadPool(writerThreads, r -> {
      Thread t = new Thread(r, "socket-writer-" + writerIds.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    WriterSamples samples = new WriterSamples();
    List<QueueingSocket> sockets = new ArrayList<>();
    for (int s = 0; s < socketCount; s++) {
      sockets.add(new QueueingSocket(socketQueue, writers, samples));
    }
    long heapBefore = usedHeapAfterGc();
    try (InProcessStreamHub hub = new InProcessStreamHub(lanes, 4096, Duration.ofSeconds(5))) {
      long t0 = System.nanoTime();
      for (int i = 0; i < registrations; i++) {
        FilterMatcher m = FilterMatcher.of(Optional.of(load.ruleFilter(i)), Optional.empty());
        RowMatcher matcher = index ? m : m::matches;
        hub.register(FanoutLoad.ENV, FanoutLoad.LENS, matcher, sockets.get(i % socketCount).sink("s" + i));
      }
      long registerMillis = (System.nanoTime() - t0) / 1_000_000;
      report.append(String.format(Locale.ROOT, "registered %,d in %d ms (live: %,d); heap for registrations + matchers:"
          + " %,d KiB after GC%n", registrations, registerMillis, hub.liveCount(FanoutLoad.ENV, FanoutLoad.LENS),
          (usedHeapAfterGc() - heapBefore) >> 10));

      long[] expected = new long[2]; // all, inside the window
      long[] sent = new long[2];
      long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
      long lagWarm = load.run(hub, rate, () -> System.nanoTime() < warmEnd, c -> {
        expected[0] += load.expectedDeliveries(c, registrations);
        sent[0]++;
      });
      CpuSnapshot cpuStart = CpuSnapshot.take();
      long windowStart = System.nanoTime();
      long windowEnd = windowStart + seconds * 1_000_000_000L;
      for (QueueingSocket s : sockets) {
        s.window(windowStart, windowEnd);
      }
      long lag = load.run(hub, rate, () -> System.nanoTime() < windowEnd, c -> {
        int n = load.expectedDeliveries(c, registrations);
        expected[0] += n;
        expected[1] += n;
        sent[0]++;
        sent[1]++;
      });
      CpuSnapshot cpuEnd = CpuSnapshot.take();
      double wall = (System.nanoTime() - windowStart) / 1e9;

      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && delivered(sockets) + overflowed(sockets) < expected[0]) {
        Thread.sleep(50);
      }
      long[] sorted = LatencySamples.mergeSorted(samples.all());
      long bytes = sockets.stream().mapToLong(QueueingSocket::frameBytes).sum();

      report.append(String.format(Locale.ROOT, "changes fed: %,d (%,d in the window: %.0f/s); generator max lag behind"
          + " schedule %.1f ms (warmup %.1f ms)%n", sent[0], sent[1], sent[1] / wall, lag / 1e6, lagWarm / 1e6));
      report.append(String.format(Locale.ROOT, "events delivered: %,d of %,d expected from the filters' shape (%s);"
          + " overflowed socket queues: %,d; in the window: %,d samples (%.0f events/s), %.1f MiB of frames%n",
          delivered(sockets), expected[0], delivered(sockets) == expected[0] ? "exact" : "MISMATCH",
          overflowed(sockets), sorted.length, sorted.length / wall, bytes / 1048576.0));
      report.append(String.format(Locale.ROOT, "event-to-delivery latency (hub receipt -> socket writer), window: p50 %.3f ms,"
          + " p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (target p99 < 100 ms: %s)%n",
          ms(LatencySamples.percentile(sorted, 0.50)), ms(LatencySamples.percentile(sorted, 0.90)),
          ms(LatencySamples.percentile(sorted, 0.99)), ms(LatencySamples.percentile(sorted, 0.999)),
          ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
          ms(LatencySamples.percentile(sorted, 0.99)) < 100 ? "met" : "MISSED"));
      report.append(cpuEnd.minus(cpuStart, wall));
      report.append(String.format(Locale.ROOT, "heap used after the run + GC: %,d MiB (incl. the generator's %,d-row"
          + " model and the latency samples)%n", usedHeapAfterGc() >> 20, rows));
    } finally {
      writers.shutdownNow();
    }
    System.out.print(report);
    if (out != null) {
      Path dir = Path.of(out);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("stream-fanout.txt"), report, StandardCharsets.UTF_8);
    }
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    mem.gc();
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static long delivered(List<QueueingSocket> sockets) {
    return sockets.stream().mapToLong(QueueingSocket::delivered).sum();
  }

  private static long overflowed(List<QueueingSocket> sockets) {
    return sockets.stream().mapToLong(QueueingSocket::overflowed).sum();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Process CPU and per-thread-group CPU at one instant. */
  private record CpuSnapshot(long processNanos, Map<String, Long> groupNanos) {
    static CpuSnapshot take() {
      long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<String, Long> groups = new HashMap<>();
      for (long id : threads.getAllThreadIds()) {
        ThreadInfo info = threads.getThreadInfo(id);
        long cpu = threads.getThreadCpuTime(id);
        if (info == null || cpu < 0) {
          continue;
        }
        groups.merge(group(info.getThreadName()), cpu, Long::sum);
      }
      return new CpuSnapshot(process, groups);
    }

    private static String group(String name) {
      if (name.startsWith("lensgate-stream-hub-")) {
        return "hub lanes";
      }
      if (name.startsWith("socket-writer-")) {
        return "socket writers";
      }
      return "main".equals(name) ? "generator (main)" : "other (GC, JIT, ...)";
    }

    String minus(CpuSnapshot start, double wallSeconds) {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
          "CPU in the window: process %.2f s of %.1f s wall = %.1f %% of one core", (processNanos - start.processNanos) / 1e9,
          wallSeconds, 100 * (processNanos - start.processNanos) / 1e9 / wallSeconds));
      for (String g : List.of("hub lanes", "socket writers", "generator (main)")) {
        long d = groupNanos.getOrDefault(g, 0L) - start.groupNanos.getOrDefault(g, 0L);
        s.append(String.format(Locale.ROOT, "; %s %.1f %%", g, 100 * d / 1e9 / wallSeconds));
      }
      return s.append('\n').toString();
    }
  }
}
