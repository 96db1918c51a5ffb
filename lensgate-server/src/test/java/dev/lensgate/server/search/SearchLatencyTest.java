package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.LensIndexes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints search latency per mode with a rule filter (20 % selective) over 20,000 rows with 384-d
 * vectors, query embedding excluded (a fixed vector). Figures only: the machine is shared, so the
 * only assertion is that every search answers.
 */
class SearchLatencyTest {
  @TempDir Path dir;

  @Test
  void searchLatency_withRuleFilter_isPrintedPerMode() {
    LensConfig lens = SearchFixtures.products();
    int n = 20_000;
    int dims = 384;
    Random rnd = new Random(11);
    float[] query = RandomFilters.unitVector(rnd, dims);
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndexWriter writer = indexes.writer("env", lens);
      List<IndexRecord> batch = new ArrayList<>();
      long t0 = System.nanoTime();
      for (long id = 1; id <= n; id++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("title", SearchEngineTest.WORDS[rnd.nextInt(20)] + " " + SearchEngineTest.WORDS[rnd.nextInt(20)]);
        row.put("body", SearchEngineTest.WORDS[rnd.nextInt(20)] + " " + SearchEngineTest.WORDS[rnd.nextInt(20)]);
        row.put("category", SearchEngineTest.CATEGORIES[rnd.nextInt(5)]);
        row.put("price", BigDecimal.valueOf(rnd.nextInt(10_000), 2));
        row.put("stock", (long) rnd.nextInt(50));
        row.put("active", rnd.nextBoolean());
        batch.add(new IndexRecord(Long.toString(id), row, row.get("title") + "\n" + row.get("body"),
            Optional.of(RandomFilters.unitVector(rnd, dims)), "h"));
        if (batch.size() == 2_000) {
          writer.upsert(batch);
          batch.clear();
        }
      }
      System.out.printf(Locale.ROOT, "latency set: %d rows, %d-d, indexed in %.1f s%n", n, dims, (System.nanoTime() - t0) / 1e9);
      SearchEngine engine = new SearchEngine(indexes, (env, l) -> new SearchEngineTest.FixedEmbedder(query));
      Filter rule = Filters.eq("category", "c");
      for (SearchMode mode : SearchMode.values()) {
        int runs = 200;
        double[] ms = new double[runs];
        for (int i = 0; i < runs + 20; i++) {
          String q = SearchEngineTest.WORDS[i % 20] + " " + SearchEngineTest.WORDS[(i * 7) % 20];
          long s = System.nanoTime();
          SearchResult r = engine.search("env", lens, new SearchRequest(q, 10, 0, mode, Filters.matchAll()), Optional.of(rule));
          double took = (System.nanoTime() - s) / 1e6;
          assertThat(r.hits()).isNotEmpty();
          if (i >= 20) {
            ms[i - 20] = took; // the first 20 warm up
          }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%s with rule filter: p50 %.2f ms, p95 %.2f ms, max %.2f ms (%d runs)%n",
            mode.wireName(), ms[runs / 2], ms[(int) (runs * 0.95)], ms[runs - 1], runs);
      }
    }
  }
}
