package dev.lensgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Process CPU and CPU per thread group (by thread-name prefix) at one instant; threads that ended are lost. */
record ThreadGroupCpu(long processNanos, Map<String, Long> groupNanos) {
  /** Groups in report order: label, then name prefixes. */
  private static final List<List<String>> GROUPS = List.of(
      List.of("hub lanes", "lensgate-stream-hub-"),
      List.of("jetty (socket I/O, frame writes)", "qtp", "Jetty", "WebSocket"),
      List.of("in-JVM clients", "bench-ws-client-", "HttpClient-"),
      List.of("generator (main)", "main"));

  static ThreadGroupCpu take() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu >= 0) {
        groups.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return new ThreadGroupCpu(ClientSummary.processCpuNanos(), groups);
  }

  private static String group(String name) {
    for (List<String> g : GROUPS) {
      for (String prefix : g.subList(1, g.size())) {
        if ("main".equals(prefix) ? name.equals(prefix) : name.startsWith(prefix)) {
          return g.get(0);
        }
      }
    }
    return "other (GC, JIT, timers, ...)";
  }

  String since(ThreadGroupCpu start, double wallSeconds) {
    double process = (processNanos - start.processNanos) / 1e9;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%.2f s CPU in %.1f s wall = %.1f %% of one core", process, wallSeconds, 100 * process / wallSeconds));
    for (List<String> g : GROUPS) {
      long d = groupNanos.getOrDefault(g.get(0), 0L) - start.groupNanos.getOrDefault(g.get(0), 0L);
      if (d > 0) {
        s.append(String.format(Locale.ROOT, "; %s %.1f %%", g.get(0), 100 * d / 1e9 / wallSeconds));
      }
    }
    return s.toString();
  }
}
