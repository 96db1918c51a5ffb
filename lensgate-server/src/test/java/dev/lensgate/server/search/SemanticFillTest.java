package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.where.Filters;
import dev.lensgate.server.index.IndexRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Near-identical rows (product variants) are where the HNSW graph cannot reach every neighbour:
 * semantic, hybrid and similar must still fill the limit with the true nearest rows.
 */
class SemanticFillTest extends IndexedEngineTest {
  static final String QUERY = "zanzibar espresso";

  SemanticFillTest() {
    super(512);
  }

  @BeforeEach
  void indexNearIdenticalRows() {
    // Rows 1..60: "zanzibar" 2..61 times and a word of their own — nearly the same vector, each a
    // little closer to the query than the one before; row 500, in a segment of its own, is farther.
    List<IndexRecord> near = new ArrayList<>();
    for (long id = 1; id <= 60; id++) {
      near.add(SearchFixtures.record(lens, SearchEngineTest.product(id, "zanzibar", "zanzibar ".repeat((int) id) + "w" + id,
          id <= 3 ? "b" : "a"), embedder));
    }
    indexes.writer(ENV, lens).upsert(near);
    Map<String, Object> far = SearchEngineTest.product(500, "zanzibar espresso", "quartz violet tundra mosaic falcon ribbon", "a");
    indexes.writer(ENV, lens).upsert(List.of(SearchFixtures.record(lens, far, embedder)));
  }

  static List<String> descending(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int id = from; id >= to; id--) {
      out.add(Integer.toString(id));
    }
    return out;
  }

  List<String> search(SearchMode mode, int limit, dev.lensgate.core.where.Filter where) {
    SearchResult r = engine.search(ENV, lens, new SearchRequest(QUERY, limit, 0, mode, where), Optional.empty());
    return HybridSearchTest.ids(r);
  }

  @Test
  void semantic_nearIdenticalRows_fillTheLimitWithTheTrueNearest() {
    assertThat(search(SearchMode.SEMANTIC, 50, Filters.matchAll())).containsExactlyElementsOf(descending(60, 11));
    List<String> all = descending(60, 1);
    all.add("500");
    assertThat(search(SearchMode.SEMANTIC, 100, Filters.matchAll())).containsExactlyElementsOf(all);
  }

  @Test
  void semantic_fewerMatchingRowsThanTheLimit_returnsThemAll_inOrder() {
    assertThat(search(SearchMode.SEMANTIC, 50, Filters.eq("category", "b"))).containsExactly("3", "2", "1");
    assertThat(search(SearchMode.SEMANTIC, 50, Filters.eq("category", "zzz"))).isEmpty();
  }

  @Test
  void hybridAndSimilar_nearIdenticalRows_fillTheLimit() {
    // Hybrid: row 500 holds every query term, so it leads; then the 49 nearest.
    List<String> hybrid = new ArrayList<>(List.of("500"));
    hybrid.addAll(descending(60, 12));
    assertThat(search(SearchMode.HYBRID, 50, Filters.matchAll())).containsExactlyElementsOf(hybrid);
    SearchResult similar = engine.similar(ENV, lens, new SimilarRequest("60", null, 50, 0, List.of(), Filters.matchAll()),
        Optional.empty());
    assertThat(similar.hits()).hasSize(50);
    assertThat(HybridSearchTest.ids(similar)).doesNotContain("60");
  }
}
