package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.server.index.IndexFilters;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensSearcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;

/** Hybrid mode against a real index: exact-match scoring, candidates the KNN list missed, filters, minScore. */
class HybridSearchTest extends IndexedEngineTest {
  HybridSearchTest() {
    super(512); // wide enough that the few words of these rows rarely share a bucket
  }

  void put(Map<String, Object> row) {
    indexes.writer(ENV, lens).upsert(List.of(SearchFixtures.record(lens, row, embedder)));
  }

  void putAll(List<Map<String, Object>> rows) {
    List<IndexRecord> records = new ArrayList<>();
    rows.forEach(r -> records.add(SearchFixtures.record(lens, r, embedder)));
    indexes.writer(ENV, lens).upsert(records);
  }

  SearchResult search(String query, SearchMode mode, int limit, double minScore, Filter where, Optional<Filter> rule) {
    return engine.search(ENV, lens, new SearchRequest(query, limit, minScore, mode, where), rule);
  }

  /** The semantic-mode score of row {@code id} for {@code query}. */
  double semanticScore(String query, long id) {
    SearchResult r = search(query, SearchMode.SEMANTIC, 1, 0, Filters.eq("id", id), Optional.empty());
    assertThat(r.hits()).hasSize(1);
    return r.hits().get(0).score();
  }

  static List<String> ids(SearchResult r) {
    List<String> out = new ArrayList<>();
    r.hits().forEach(h -> out.add(h.document().id()));
    return out;
  }

  void loadNoise(int n, long seed) {
    Random rnd = new Random(seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      String w1 = SearchEngineTest.WORDS[rnd.nextInt(SearchEngineTest.WORDS.length)];
      String w2 = SearchEngineTest.WORDS[rnd.nextInt(SearchEngineTest.WORDS.length)];
      rows.add(SearchEngineTest.product(id, w1 + " " + w2, w2 + " " + w1, SearchEngineTest.CATEGORIES[(int) (id % 5)]));
    }
    putAll(rows);
  }

  @Test
  void hybrid_rowWithEveryTermScoresHalfwayToOne_partialMatchKeepsItsSemanticScore() {
    loadNoise(300, 12);
    put(SearchEngineTest.product(1001, "Zanzibar espresso machine", "zanzibar espresso", "a"));
    put(SearchEngineTest.product(1002, "Zanzibar kettle", "plain", "b"));
    SearchResult r = search("zanzibar espresso", SearchMode.HYBRID, 5, 0, Filters.matchAll(), Optional.empty());
    assertThat(ids(r)).startsWith("1001", "1002");
    double s1001 = semanticScore("zanzibar espresso", 1001);
    double s1002 = semanticScore("zanzibar espresso", 1002);
    assertThat(r.hits().get(0).score()).isCloseTo(s1001 + (1 - s1001) / 2, offset(1e-6)).isLessThan(1.0);
    assertThat(r.hits().get(1).score()).isCloseTo(s1002, offset(1e-6));
    // The row's own text as the query: every term present and the same vector -> exactly 1.
    SearchResult self = search("Zanzibar espresso machine\nzanzibar espresso", SearchMode.HYBRID, 1, 0,
        Filters.matchAll(), Optional.empty());
    assertThat(ids(self)).containsExactly("1001");
    assertThat(self.hits().get(0).score()).isCloseTo(1.0, offset(1e-6));
  }

  @Test
  void hybrid_exactMatchPassesRowsAboutAsCloseInMeaning_notOnesMuchCloser() {
    // 60 rows closer in meaning than the exact match: "zanzibar" 2..61 times and a word of their own.
    List<Map<String, Object>> near = new ArrayList<>();
    for (long id = 1; id <= 60; id++) {
      near.add(SearchEngineTest.product(id, "zanzibar", "zanzibar ".repeat((int) id) + "w" + id, "a"));
    }
    putAll(near);
    put(SearchEngineTest.product(500, "zanzibar espresso", "quartz violet tundra mosaic falcon ribbon", "a"));
    String query = "zanzibar espresso";
    double exact = semanticScore(query, 500);
    double nearest = semanticScore(query, 60);
    assertThat(exact).as("precondition: 60 rows are closer in meaning").isLessThan(semanticScore(query, 1));
    assertThat(exact + (1 - exact) / 2).as("precondition: the boost lifts it above them").isGreaterThan(nearest);
    SearchResult r = search(query, SearchMode.HYBRID, 5, 0, Filters.matchAll(), Optional.empty());
    assertThat(ids(r)).startsWith("500", "60", "59");
    assertThat(r.hits().get(0).score()).isCloseTo(exact + (1 - exact) / 2, offset(1e-6));
    assertThat(r.hits().get(1).score()).isCloseTo(nearest, offset(1e-6));
  }

  @Test
  void candidates_exactMatchTheKnnListMissed_scoredFromItsStoredVector_knnCandidatesFlaggedAcrossSegments()
      throws Exception {
    put(SearchEngineTest.product(1, "zanzibar espresso", "first segment", "a"));
    put(SearchEngineTest.product(2, "zanzibar", "only one term", "a"));
    put(SearchEngineTest.product(3, "espresso zanzibar", "third segment", "b"));
    put(SearchEngineTest.product(4, "espresso", "missed by the vector search", "a"));
    String query = "zanzibar espresso";
    float[] unit = embedder.vector(query);
    try (LensSearcher s = indexes.index(ENV, lens).acquire().orElseThrow()) {
      int d1 = s.docOf("1").orElseThrow();
      int d2 = s.docOf("2").orElseThrow();
      int d3 = s.docOf("3").orElseThrow();
      // The KNN list as the engine would pass it, but without row 3 (as if HNSW had missed it).
      ScoreDoc[] knn = {new ScoreDoc(d2, (float) cosScore(unit, "zanzibar\nonly one term")),
          new ScoreDoc(d1, (float) cosScore(unit, "zanzibar espresso\nfirst segment"))};
      List<ScoreFusion.Candidate> got = HybridCandidates.collect(s, QueryTerms.of(query), unit, knn,
          new MatchAllDocsQuery(), 50);
      Map<Integer, ScoreFusion.Candidate> byDoc = new HashMap<>();
      got.forEach(c -> byDoc.put(c.doc(), c));
      assertThat(byDoc).containsOnlyKeys(d1, d2, d3); // row 4 lacks "zanzibar": not an exact match
      assertThat(byDoc.get(d1).exactMatch()).isTrue();
      assertThat(byDoc.get(d2).exactMatch()).isFalse();
      assertThat(byDoc.get(d3).exactMatch()).isTrue();
      assertThat(byDoc.get(d3).semantic()).isCloseTo(cosScore(unit, "espresso zanzibar\nthird segment"), offset(1e-6));
      // The filter applies to the exact-match list too.
      List<ScoreFusion.Candidate> filtered = HybridCandidates.collect(s, QueryTerms.of(query), unit, new ScoreDoc[0],
          IndexFilters.compile(Filters.eq("category", "a"), lens.schema()), 50);
      assertThat(filtered).extracting(ScoreFusion.Candidate::doc).containsExactly(d1);
      // No keyword terms: the KNN list as it is, nothing flagged.
      assertThat(HybridCandidates.collect(s, List.of(), unit, knn, new MatchAllDocsQuery(), 50))
          .extracting(ScoreFusion.Candidate::exactMatch).containsExactly(false, false);
    }
  }

  /** {@code (1 + cos) / 2} of the query vector and a row text, as the KNN query scores it. */
  double cosScore(float[] unitQuery, String text) {
    float[] v = embedder.vector(text);
    double dot = 0;
    for (int i = 0; i < v.length; i++) {
      dot += unitQuery[i] * v[i];
    }
    return (1 + dot) / 2;
  }

  @Test
  void hybrid_filterAppliesBeforeTopK_toBothCandidateLists() {
    loadNoise(300, 13);
    put(SearchEngineTest.product(1001, "Zanzibar espresso machine", "zanzibar espresso", "a"));
    put(SearchEngineTest.product(1002, "Zanzibar espresso kettle", "plain", "b"));
    Filter where = Filters.eq("category", "b");
    Optional<Filter> rule = Optional.of(Filters.eq("active", true));
    SearchResult r = search("zanzibar espresso", SearchMode.HYBRID, 5, 0, where, rule);
    assertThat(ids(r)).startsWith("1002").doesNotContain("1001").hasSize(5);
    r.hits().forEach(h -> assertThat(InMemoryPredicate.test(Filters.and(rule.get(), where), h.document().row())).isTrue());
  }

  @Test
  void hybrid_minScoreAppliesToTheAbsoluteScore_andQueryWithoutTermsRanksAsSemantic() {
    loadNoise(200, 14);
    put(SearchEngineTest.product(1001, "Zanzibar espresso machine", "zanzibar espresso", "a"));
    SearchResult all = search("zanzibar espresso", SearchMode.HYBRID, 20, 0, Filters.matchAll(), Optional.empty());
    assertThat(ids(all).get(0)).isEqualTo("1001");
    double cut = (all.hits().get(0).score() + all.hits().get(1).score()) / 2;
    SearchResult cutOff = search("zanzibar espresso", SearchMode.HYBRID, 20, cut, Filters.matchAll(), Optional.empty());
    assertThat(ids(cutOff)).containsExactly("1001");
    double aboveBest = all.hits().get(0).score() + 1e-6;
    assertThat(search("zanzibar espresso", SearchMode.HYBRID, 20, aboveBest, Filters.matchAll(), Optional.empty()).hits())
        .isEmpty();
    // Only function words: no keyword terms, so hybrid is semantic mode, ids and scores.
    SearchResult hybrid = search("with the of", SearchMode.HYBRID, 10, 0, Filters.matchAll(), Optional.empty());
    SearchResult semantic = search("with the of", SearchMode.SEMANTIC, 10, 0, Filters.matchAll(), Optional.empty());
    assertThat(ids(hybrid)).isEqualTo(ids(semantic));
    for (int i = 0; i < hybrid.hits().size(); i++) {
      assertThat(hybrid.hits().get(i).score()).isCloseTo(semantic.hits().get(i).score(), offset(1e-6));
    }
  }
}
