package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchEngineTest extends IndexedEngineTest {
  static final String[] WORDS = {"red", "blue", "green", "shoe", "boot", "hat", "scarf", "wool", "leather", "cotton",
      "running", "winter", "summer", "light", "heavy", "soft", "warm", "cheap", "classic", "modern"};
  static final String[] CATEGORIES = {"a", "b", "c", "d", "e"};

  Map<String, Map<String, Object>> rows = new HashMap<>();

  SearchEngineTest() {
    super(64);
  }

  Map<String, Object> row(long id, Random rnd) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("title", WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)]);
    row.put("body", WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)] + " "
        + WORDS[rnd.nextInt(WORDS.length)]);
    row.put("category", CATEGORIES[rnd.nextInt(CATEGORIES.length)]);
    row.put("price", rnd.nextInt(10) == 0 ? null : BigDecimal.valueOf(rnd.nextInt(10_000), 2));
    row.put("stock", rnd.nextInt(8) == 0 ? null : (long) rnd.nextInt(50));
    row.put("active", rnd.nextInt(6) == 0 ? null : rnd.nextBoolean());
    return row;
  }

  void load(String env, int n, long seed) {
    Random rnd = new Random(seed);
    List<IndexRecord> batch = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      Map<String, Object> row = row(id, rnd);
      rows.put(Long.toString(id), row);
      batch.add(SearchFixtures.record(lens, row, embedder));
    }
    indexes.writer(env, lens).upsert(batch);
  }

  void put(String env, Map<String, Object> row) {
    rows.put(row.get("id").toString(), row);
    indexes.writer(env, lens).upsert(List.of(SearchFixtures.record(lens, row, embedder)));
  }

  static Map<String, Object> product(long id, String title, String body, String category) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("title", title);
    row.put("body", body);
    row.put("category", category);
    row.put("price", new BigDecimal("9.99"));
    row.put("stock", 3L);
    row.put("active", true);
    return row;
  }

  SearchResult search(String query, SearchMode mode, int limit, double minScore, Filter where, Optional<Filter> rule) {
    return engine.search(ENV, lens, new SearchRequest(query, limit, minScore, mode, where), rule);
  }

  static List<String> ids(SearchResult r) {
    List<String> out = new ArrayList<>();
    r.hits().forEach(h -> out.add(h.document().id()));
    return out;
  }

  @Test
  void search_beforeFirstBuild_isEmptyAndNotBuilt() {
    SearchResult r = search("shoe", SearchMode.KEYWORD, 10, 0, Filters.matchAll(), Optional.empty());
    assertThat(r.hits()).isEmpty();
    assertThat(r.indexBuilt()).isFalse();
  }

  @Test
  void keyword_exactTerm_findsTheRowsHoldingIt() {
    load(ENV, 200, 1);
    put(ENV, product(1001, "Zanzibar espresso machine", "stainless steel", "a"));
    put(ENV, product(1002, "plain kettle", "makes espresso-free tea", "b"));
    SearchResult r = search("zanzibar", SearchMode.KEYWORD, 10, 0, Filters.matchAll(), Optional.empty());
    assertThat(ids(r)).containsExactly("1001");
    SearchResult espresso = search("Espresso", SearchMode.KEYWORD, 10, 0, Filters.matchAll(), Optional.empty());
    assertThat(ids(espresso)).containsExactlyInAnyOrder("1001", "1002");
    assertThat(search("nonexistentterm", SearchMode.KEYWORD, 10, 0, Filters.matchAll(), Optional.empty()).hits()).isEmpty();
  }

  @Test
  void everyMode_scoresInUnitRange_bestFirst_andMinScoreFilters() {
    load(ENV, 300, 2);
    for (SearchMode mode : SearchMode.values()) {
      for (String q : List.of("red shoe", "warm wool winter scarf", "leather", "modern classic light")) {
        SearchResult r = search(q, mode, 20, 0, Filters.matchAll(), Optional.empty());
        assertThat(r.hits()).as("%s %s", mode, q).isNotEmpty();
        double previous = Double.MAX_VALUE;
        for (SearchHit h : r.hits()) {
          assertThat(h.score()).as("%s %s", mode, q).isBetween(0.0, 1.0);
          assertThat(h.score()).isLessThanOrEqualTo(previous);
          previous = h.score();
        }
        double cut = r.hits().get(r.hits().size() / 2).score();
        SearchResult filtered = search(q, mode, 20, cut, Filters.matchAll(), Optional.empty());
        assertThat(filtered.hits()).isNotEmpty().allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(cut));
        assertThat(filtered.hits().size()).isLessThanOrEqualTo(r.hits().size());
      }
    }
    // An exact duplicate of a row's text is its nearest neighbour: semantic score 1.
    Map<String, Object> first = rows.get("1");
    String text = first.get("title") + "\n" + first.get("body");
    SearchResult exact = search(text, SearchMode.SEMANTIC, 1, 0, Filters.eq("id", 1L), Optional.empty());
    assertThat(exact.hits().get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void keyword_neverCallsTheEmbedder_semanticAndHybridFailWith502() {
    load(ENV, 50, 3);
    embedder.failing(true);
    int before = embedder.calls();
    assertThat(search("red", SearchMode.KEYWORD, 10, 0, Filters.matchAll(), Optional.empty()).hits()).isNotEmpty();
    assertThat(embedder.calls()).isEqualTo(before);
    for (SearchMode mode : List.of(SearchMode.SEMANTIC, SearchMode.HYBRID)) {
      assertThatThrownBy(() -> search("red", mode, 10, 0, Filters.matchAll(), Optional.empty()))
          .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED));
    }
    // An embedder that breaks its contract (runtime exception) is contained the same way.
    SearchEngine broken = new SearchEngine(indexes, (env, l) -> {
      throw new IllegalStateException("model file missing at /secret/path");
    });
    assertThatThrownBy(() -> broken.search(ENV, lens, new SearchRequest("red", 10, 0, SearchMode.SEMANTIC,
        Filters.matchAll()), Optional.empty()))
        .isInstanceOfSatisfying(LensgateException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.EMBEDDING_FAILED);
          assertThat(e.getMessage()).doesNotContain("secret");
        });
  }

  @Test
  void filteredSearchAndSimilar_randomFilters_neverReturnARowOutsideWhereAndRule_andFillTheLimit() {
    load(ENV, 800, 4);
    Random rnd = new Random(44);
    int checked = 0;
    for (int i = 0; i < 150; i++) {
      Filter where = RandomFilters.filter(rnd, 2);
      Optional<Filter> rule = rnd.nextBoolean() ? Optional.of(RandomFilters.filter(rnd, 1)) : Optional.empty();
      Filter both = Filters.and(rule.orElse(Filters.matchAll()), where);
      long matching = rows.values().stream().filter(r -> InMemoryPredicate.test(both, r)).count();
      SearchMode mode = SearchMode.values()[i % 3];
      String q = WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)];
      int limit = 1 + rnd.nextInt(30);
      SearchResult r = search(q, mode, limit, 0, where, rule);
      for (SearchHit h : r.hits()) {
        Map<String, Object> source = rows.get(h.document().id());
        assertThat(InMemoryPredicate.test(both, source)).as("%s returned %s outside %s", mode, h.document().id(), both)
            .isTrue();
        assertThat(h.document().row()).isEqualTo(source);
        checked++;
      }
      if (mode == SearchMode.SEMANTIC) {
        // Every row has a vector: filtered KNN must fill the limit whenever enough rows match.
        assertThat(r.hits()).as("filter %s", both).hasSize((int) Math.min(limit, matching));
      }
      // similar under the same filters, from a random seed: hidden seed -> not_found, else only rows
      // inside where AND rule, never the seed, and the limit filled when enough rows match.
      String seed = Integer.toString(1 + rnd.nextInt(800));
      boolean seedVisible = InMemoryPredicate.test(rule.orElse(Filters.matchAll()), rows.get(seed));
      SimilarRequest similar = new SimilarRequest(seed, null, limit, 0, List.of(), where);
      if (!seedVisible) {
        assertThat(catchNotFound(() -> engine.similar(ENV, lens, similar, rule)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        continue;
      }
      SearchResult near = engine.similar(ENV, lens, similar, rule);
      long others = matching - (InMemoryPredicate.test(both, rows.get(seed)) ? 1 : 0);
      assertThat(near.hits()).as("similar under %s", both).hasSize((int) Math.min(limit, others));
      for (SearchHit h : near.hits()) {
        assertThat(h.document().id()).isNotEqualTo(seed);
        assertThat(InMemoryPredicate.test(both, rows.get(h.document().id()))).as("similar returned %s outside %s",
            h.document().id(), both).isTrue();
        checked++;
      }
    }
    System.out.println("filtered search/similar: " + checked + " returned rows checked against the in-memory predicate");
    assertThat(checked).isGreaterThan(500);
  }

  @Test
  void largestQueryAndFilter_withinClauseLimits_answer() {
    load(ENV, 100, 9);
    StringBuilder words = new StringBuilder("red shoe boot ");  // terms past the 256th are dropped
    for (int i = 0; i < 400; i++) {
      words.append("word").append(i).append(' ');
    }
    // A client where at its node limit (an $or of 254 leaves) ANDed with a rule of the same size.
    com.fasterxml.jackson.databind.node.ObjectNode where = new ObjectMapper().createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode or = where.putArray("$or");
    for (int i = 0; i < 254; i++) {
      or.addObject().put("stock", i);
    }
    Filter client = dev.lensgate.core.where.WhereParser.parse(where, lens.schema());
    Filter rule = dev.lensgate.core.where.WhereParser.parse(where, lens.schema());
    for (SearchMode mode : SearchMode.values()) {
      SearchResult r = search(words.toString(), mode, 100, 0, client, Optional.of(rule));
      assertThat(r.hits()).as("%s", mode).isNotEmpty();
    }
  }

  @Test
  void semantic_onePercentFilterOver20000Rows_equalsExactBruteForceTop10() {
    int n = 20_000;
    int dims = 32;
    Random rnd = new Random(5);
    float[][] vectors = new float[n][];
    LensIndexWriter writer = indexes.writer(ENV, lens);
    List<IndexRecord> batch = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      vectors[i] = RandomFilters.unitVector(rnd, dims);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", (long) i);
      row.put("title", "t");
      row.put("stock", (long) (i % 100)); // stock = 7 selects exactly 1 %
      batch.add(new IndexRecord(Long.toString(i), row, "t", Optional.of(vectors[i]), "h"));
      if (batch.size() == 2000) {
        writer.upsert(batch);
        batch.clear();
      }
    }
    System.out.printf("indexed %d rows with %d-d vectors in %.0f ms%n", n, dims, (System.nanoTime() - started) / 1e6);
    float[] query = RandomFilters.unitVector(rnd, dims);
    HashingEmbedder unused = embedder;
    SearchEngine fixed = new SearchEngine(indexes, (env, l) -> new FixedEmbedder(query));
    for (long bucket : new long[] {7, 42, 99}) {
      Filter where = Filters.eq("stock", bucket);
      long t0 = System.nanoTime();
      SearchResult r = fixed.search(ENV, lens, new SearchRequest("q", 10, 0, SearchMode.SEMANTIC, where), Optional.empty());
      double ms = (System.nanoTime() - t0) / 1e6;
      List<String> expected = bruteForce(vectors, query, i -> i % 100 == bucket, 10);
      System.out.printf("1%% filter (stock=%d): semantic top-10 in %.1f ms%n", bucket, ms);
      assertThat(ids(r)).as("stock=%d", bucket).containsExactlyElementsOf(expected);
    }
    assertThat(unused.calls()).isZero();
  }

  static List<String> bruteForce(float[][] vectors, float[] q, java.util.function.IntPredicate accept, int k) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      if (accept.test(i)) {
        candidates.add(i);
      }
    }
    candidates.sort((a, b) -> Double.compare(dot(vectors[b], q), dot(vectors[a], q)));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, candidates.size()); i++) {
      out.add(Integer.toString(candidates.get(i)));
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void similar_excludesSeed_honoursWhereAndRule_hiddenSeedIs404LikeMissing() {
    load(ENV, 300, 6);
    SimilarRequest req = new SimilarRequest("5", new ObjectMapper().valueToTree(5), 10, 0, List.of(), Filters.matchAll());
    int before = embedder.calls();
    SearchResult r = engine.similar(ENV, lens, req, Optional.empty());
    assertThat(embedder.calls()).as("similar uses the stored vector").isEqualTo(before);
    assertThat(ids(r)).hasSize(10).doesNotContain("5");
    r.hits().forEach(h -> assertThat(h.score()).isBetween(0.0, 1.0));

    Filter rule = Filters.eq("category", "a");
    Filter where = Filters.eq("active", true);
    String visibleSeed = rows.entrySet().stream().filter(e -> "a".equals(e.getValue().get("category")))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    String hiddenSeed = rows.entrySet().stream().filter(e -> !"a".equals(e.getValue().get("category")))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    SearchResult filtered = engine.similar(ENV, lens,
        new SimilarRequest(visibleSeed, null, 50, 0, List.of(), where), Optional.of(rule));
    assertThat(filtered.hits()).isNotEmpty().allSatisfy(h -> {
      assertThat(h.document().id()).isNotEqualTo(visibleSeed);
      assertThat(InMemoryPredicate.test(Filters.and(rule, where), rows.get(h.document().id()))).isTrue();
    });

    LensgateException hidden = catchNotFound(() -> engine.similar(ENV, lens,
        new SimilarRequest(hiddenSeed, null, 10, 0, List.of(), Filters.matchAll()), Optional.of(rule)));
    LensgateException missing = catchNotFound(() -> engine.similar(ENV, lens,
        new SimilarRequest("999999", null, 10, 0, List.of(), Filters.matchAll()), Optional.of(rule)));
    assertThat(hidden.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(hidden.getMessage()).isEqualTo(missing.getMessage());
  }

  static LensgateException catchNotFound(Runnable r) {
    try {
      r.run();
    } catch (LensgateException e) {
      return e;
    }
    throw new AssertionError("expected not_found");
  }

  @Test
  void similar_withFieldSubset_embedsTheSeedsTextFromThoseFieldsOnly() {
    put(ENV, product(1, "anvil", "zebra zebra zebra", "a"));
    put(ENV, product(2, "anvil", "kettle", "a"));
    put(ENV, product(3, "piano", "zebra zebra zebra", "a"));
    SearchResult byAll = engine.similar(ENV, lens, new SimilarRequest("1", null, 1, 0, List.of(), Filters.matchAll()),
        Optional.empty());
    int before = embedder.calls();
    SearchResult byTitle = engine.similar(ENV, lens,
        new SimilarRequest("1", null, 1, 0, List.of("title"), Filters.matchAll()), Optional.empty());
    assertThat(embedder.calls()).isEqualTo(before + 1);
    assertThat(ids(byTitle)).containsExactly("2");
    assertThat(ids(byAll)).containsExactly("3");
  }

  @Test
  void environments_sameLensName_neverSeeEachOthersRows() {
    put("env_a", product(1, "alpha only", "x", "a"));
    put("env_b", product(2, "beta only", "x", "a"));
    SearchResult a = engine.search("env_a", lens, new SearchRequest("only", 10, 0, SearchMode.HYBRID, Filters.matchAll()),
        Optional.empty());
    SearchResult b = engine.search("env_b", lens, new SearchRequest("only", 10, 0, SearchMode.HYBRID, Filters.matchAll()),
        Optional.empty());
    assertThat(ids(a)).containsExactly("1");
    assertThat(ids(b)).containsExactly("2");
    assertThat(indexes.index("env_a", "products").directory()).isNotEqualTo(indexes.index("env_b", "products").directory());
  }

  /** Always answers one vector. */
  static final class FixedEmbedder implements dev.lensgate.core.embed.Embedder {
    private final float[] vector;

    FixedEmbedder(float[] vector) {
      this.vector = vector;
    }

    @Override public String id() { return "fixed"; }

    @Override public int dimensions() { return vector.length; }

    @Override public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      texts.forEach(t -> out.add(vector.clone()));
      return out;
    }
  }
}
