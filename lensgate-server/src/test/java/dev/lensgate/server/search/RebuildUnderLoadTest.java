package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndex;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.LensIndexes;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full rebuilds swap generations while threads search: no search fails and none sees an empty or
 * half-built index; afterwards only the last generation's directory is left, and a restart opens it.
 */
class RebuildUnderLoadTest {
  static final int ROWS = 600;
  @TempDir Path dir;

  static List<IndexRecord> generation(LensConfig lens, HashingEmbedder embedder, int round) {
    List<IndexRecord> out = new ArrayList<>();
    for (long id = 1; id <= ROWS; id++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", id);
      row.put("title", "round" + round + " " + SearchEngineTest.WORDS[(int) (id % 20)] + " shoe");
      row.put("body", SearchEngineTest.WORDS[(int) ((id * 7) % 20)] + " boot");
      row.put("category", SearchEngineTest.CATEGORIES[(int) (id % 5)]);
      row.put("price", BigDecimal.valueOf(id));
      row.put("stock", id % 50);
      row.put("active", id % 2 == 0);
      out.add(SearchFixtures.record(lens, row, embedder));
    }
    return out;
  }

  @Test
  void fullRebuild_underConcurrentSearches_noErrorsNoEmptyResults() throws Exception {
    LensConfig lens = SearchFixtures.products();
    HashingEmbedder embedder = new HashingEmbedder(64);
    int rounds = 6;
    long lastGeneration;
    try (LensIndexes indexes = new LensIndexes(dir)) {
      SearchEngine engine = new SearchEngine(indexes, (env, l) -> embedder);
      LensIndex index = indexes.index("env", lens);
      try (LensIndexWriter.Rebuild r = index.beginRebuild(embedder.id())) {
        r.add(generation(lens, embedder, 0));
        r.commitAndSwap();
      }
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      AtomicInteger searches = new AtomicInteger();
      AtomicInteger empty = new AtomicInteger();
      int threads = 4;
      CountDownLatch done = new CountDownLatch(threads);
      for (int t = 0; t < threads; t++) {
        SearchMode mode = SearchMode.values()[t % 3];
        boolean similar = t == 3;
        Thread th = new Thread(() -> {
          try {
            while (!stop.get()) {
              SearchResult r = similar
                  ? engine.similar("env", lens, new SimilarRequest("7", null, 10, 0, List.of(), Filters.eq("active", true)),
                      Optional.empty())
                  : engine.search("env", lens, new SearchRequest("shoe boot", 10, 0, mode, Filters.eq("category", "b")),
                      Optional.empty());
              searches.incrementAndGet();
              if (r.hits().size() != 10) {
                empty.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          } finally {
            done.countDown();
          }
        }, "searcher-" + t);
        th.start();
      }
      for (int round = 1; round <= rounds; round++) {
        try (LensIndexWriter.Rebuild r = index.beginRebuild(embedder.id())) {
          List<IndexRecord> all = generation(lens, embedder, round);
          for (int i = 0; i < all.size(); i += 100) {
            r.add(all.subList(i, i + 100));
          }
          r.commitAndSwap();
        }
      }
      Thread.sleep(200);
      stop.set(true);
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      System.out.printf("%d searches during %d rebuilds; %d short results, %d errors%n", searches.get(), rounds,
          empty.get(), errors.size());
      assertThat(errors).isEmpty();
      assertThat(empty.get()).isZero();
      assertThat(searches.get()).isGreaterThan(0);
      lastGeneration = index.generation().orElseThrow();
      try (Stream<Path> children = Files.list(index.directory())) {
        assertThat(children.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
            .containsExactly(Long.toString(lastGeneration));
      }
    }
    try (LensIndexes reopened = new LensIndexes(dir)) {
      LensIndex index = reopened.index("env", lens);
      assertThat(index.generation()).contains(lastGeneration);
      assertThat(index.documentCount()).isEqualTo(ROWS);
      SearchEngine engine = new SearchEngine(reopened, (env, l) -> embedder);
      SearchResult r = engine.search("env", lens, new SearchRequest("round" + rounds, 5, 0, SearchMode.KEYWORD,
          Filters.matchAll()), Optional.empty());
      assertThat(r.hits()).hasSize(5);
    }
  }
}
