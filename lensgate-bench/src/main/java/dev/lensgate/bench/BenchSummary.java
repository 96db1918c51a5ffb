package dev.lensgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one line per benchmark ({@code Class.method}) from a JMH JSON result: p50, p90 and p99 from {@code SampleTime},
 * the mean from {@code AverageTime}, and the full path's p50 against its 20 µs target.
 * Usage: {@code BenchSummary jmh-authorize.json}.
 */
public final class BenchSummary {
  private static final double FULL_PATH_P50_TARGET_MICROS = 20;

  private BenchSummary() {}

  /** One benchmark's numbers, in its JMH score unit (µs here); NaN when a mode did not run. */
  private static final class Row {
    double p50 = Double.NaN;
    double p90 = Double.NaN;
    double p99 = Double.NaN;
    double mean = Double.NaN;
    double meanError = Double.NaN;
    String unit = "";
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BenchSummary <jmh result .json>");
      System.exit(2);
    }
    JsonNode results = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
    Map<String, Row> rows = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String name = r.path("benchmark").asText();
      int method = name.lastIndexOf('.');
      name = name.substring(name.lastIndexOf('.', method - 1) + 1);
      Row row = rows.computeIfAbsent(name, k -> new Row());
      JsonNode m = r.path("primaryMetric");
      row.unit = m.path("scoreUnit").asText();
      String mode = r.path("mode").asText();
      if ("sample".equals(mode)) {
        JsonNode p = m.path("scorePercentiles");
        row.p50 = p.path("50.0").asDouble(Double.NaN);
        row.p90 = p.path("90.0").asDouble(Double.NaN);
        row.p99 = p.path("99.0").asDouble(Double.NaN);
      } else if ("avgt".equals(mode)) {
        row.mean = m.path("score").asDouble(Double.NaN);
        row.meanError = m.path("scoreError").asDouble(Double.NaN);
      }
    }
    System.out.printf(Locale.ROOT, "%-44s %12s %12s %12s %20s%n", "benchmark", "p50", "p90", "p99", "mean ± error");
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      String unit = r.unit.replace("us/op", "µs");
      System.out.printf(Locale.ROOT, "%-44s %9.2f %-2s %9.2f %-2s %9.2f %-2s %9.2f ± %6.2f %s%n", e.getKey(),
          r.p50, unit, r.p90, unit, r.p99, unit, r.mean, r.meanError, unit);
    }
    Row full = rows.get("AuthorizePathBenchmark.fullPath");
    if (full != null && "us/op".equals(full.unit) && !Double.isNaN(full.p50)) {
      System.out.printf(Locale.ROOT, "fullPath p50 = %.2f µs   (target < %.0f µs: %s)%n", full.p50,
          FULL_PATH_P50_TARGET_MICROS, full.p50 < FULL_PATH_P50_TARGET_MICROS ? "met" : "MISSED");
    }
  }
}
