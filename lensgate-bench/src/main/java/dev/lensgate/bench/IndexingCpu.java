package dev.lensgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a full sync's CPU goes, by thread: the model's workers (ONNX), the rebuild's index-add
 * thread (Lucene, HNSW), the sync thread (source read, records, tokenizing) and every other Java
 * thread; the process total minus those is what runs outside Java threads: the JIT compilers
 * (C2 warms up on the sync's code during a first sync), GC, native pools. Threads are sampled while the
 * sync runs ({@link #sample}), since the index-add thread ends with it: a thread's CPU after its
 * last sample is lost (at most one sampling interval).
 */
final class IndexingCpu {
  private static final List<List<String>> GROUPS = List.of(
      List.of("model workers", "lensgate-minilm-"),
      List.of("index add (Lucene)", "lensgate-index-add"),
      List.of("sync thread", "lensgate-sync-"));
  private static final String OTHER = "other Java threads";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final long processStart;
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final Map<Long, Long> lastCpu = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();

  private IndexingCpu(long processStart) {
    this.processStart = processStart;
  }

  /** Starts accounting now. */
  static IndexingCpu start() {
    IndexingCpu c = new IndexingCpu(ClientSummary.processCpuNanos());
    c.sample();
    c.startCpu.putAll(c.lastCpu);
    return c;
  }

  /** Records every live thread's CPU time so far. */
  void sample() {
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu < 0) {
        continue;
      }
      if (!names.containsKey(id)) {
        ThreadInfo info = threads.getThreadInfo(id);
        if (info == null) {
          continue;
        }
        names.put(id, info.getThreadName());
      }
      lastCpu.put(id, cpu);
    }
  }

  /** CPU ms per row of each group since {@link #start}, in report order, ending with the non-Java rest. */
  Map<String, Double> msPerRow(long rows) {
    sample();
    Map<String, Double> out = new LinkedHashMap<>();
    GROUPS.forEach(g -> out.put(g.get(0), 0.0));
    out.put(OTHER, 0.0);
    double threadsMs = 0;
    for (Map.Entry<Long, Long> e : lastCpu.entrySet()) {
      double ms = (e.getValue() - startCpu.getOrDefault(e.getKey(), 0L)) / 1e6;
      threadsMs += ms;
      out.merge(group(names.get(e.getKey())), ms / rows, Double::sum);
    }
    double processMs = (ClientSummary.processCpuNanos() - processStart) / 1e6;
    out.put("JIT, GC, native", Math.max(0, processMs - threadsMs) / rows);
    return out;
  }

  static String format(Map<String, Double> msPerRow) {
    StringBuilder s = new StringBuilder();
    msPerRow.forEach((group, ms) -> s.append(s.length() == 0 ? "" : ", ")
        .append(String.format(Locale.ROOT, "%s %.2f", group, ms)));
    return s.toString();
  }

  private static String group(String name) {
    for (List<String> g : GROUPS) {
      if (name != null && name.startsWith(g.get(1))) {
        return g.get(0);
      }
    }
    return OTHER;
  }
}
