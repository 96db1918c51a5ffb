package dev.lensgate.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the socket clients report to the benchmark, as one {@code key=value} line so that clients in
 * a child JVM can hand it over on stdout. Latencies in nanoseconds; CPU is the clients' process CPU
 * from the window's start to the await.
 */
record ClientSummary(Map<String, Long> values, String codes) {
  static final String PREFIX = "CLIENTS-RESULT ";

  static ClientSummary of(SocketClients.Result r, long cpuNanos) {
    Map<String, Long> v = new LinkedHashMap<>();
    v.put("frames", r.frames());
    v.put("withRow", r.withRow());
    v.put("deletes", r.deletes());
    v.put("errors", r.errors());
    v.put("closedFrames", r.closedFrames());
    v.put("socketCloses", r.socketCloses());
    v.put("negative", r.negative());
    long[] s = r.sortedNanos();
    v.put("samples", (long) s.length);
    v.put("p50", LatencySamples.percentile(s, 0.50));
    v.put("p90", LatencySamples.percentile(s, 0.90));
    v.put("p99", LatencySamples.percentile(s, 0.99));
    v.put("p999", LatencySamples.percentile(s, 0.999));
    v.put("max", s.length == 0 ? 0 : s[s.length - 1]);
    v.put("cpuNanos", cpuNanos);
    StringBuilder codes = new StringBuilder();
    new TreeMap<>(r.codes()).forEach((k, n) -> codes.append(codes.length() == 0 ? "" : ",").append(k).append(':').append(n));
    return new ClientSummary(v, codes.length() == 0 ? "none" : codes.toString());
  }

  long get(String key) {
    return values.getOrDefault(key, 0L);
  }

  String line() {
    StringBuilder b = new StringBuilder(PREFIX);
    values.forEach((k, n) -> b.append(k).append('=').append(n).append(' '));
    return b.append("codes=").append(codes).toString();
  }

  static ClientSummary parse(String line) {
    Map<String, Long> v = new LinkedHashMap<>();
    String codes = "none";
    for (String part : line.substring(PREFIX.length()).trim().split(" ")) {
      int eq = part.indexOf('=');
      if (part.startsWith("codes=")) {
        codes = part.substring(eq + 1);
      } else if (eq > 0) {
        v.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
      }
    }
    return new ClientSummary(v, codes);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
