package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.where.Filters;
import dev.lensgate.server.index.IndexRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Vectors as wide as OpenAI-compatible models answer by default (1536 for text-embedding-3-small
 * and ada-002): Lucene's own HNSW format refuses more than 1024 dimensions, so this failed at the
 * first sync of such a lens before the index's format took the config's limit.
 */
class WideVectorSearchTest extends IndexedEngineTest {
  WideVectorSearchTest() {
    super(1536);
  }

  @Test
  void semanticSearchAndSimilar_overOpenAiSizedVectors() {
    List<IndexRecord> records = new ArrayList<>();
    String[] titles = {"red wool scarf", "blue leather boot", "green cotton hat", "warm winter coat", "light summer shoe"};
    for (int i = 0; i < titles.length; i++) {
      records.add(SearchFixtures.record(lens, SearchEngineTest.product(i + 1, titles[i], titles[i], "a"), embedder));
    }
    indexes.writer(ENV, lens).upsert(records);

    SearchResult found = engine.search(ENV, lens,
        new SearchRequest("blue leather boot", 2, 0, SearchMode.SEMANTIC, Filters.matchAll()), Optional.empty());
    assertThat(HybridSearchTest.ids(found)).first().isEqualTo("2");

    SearchResult similar = engine.similar(ENV, lens, new SimilarRequest("4", null, 3, 0, List.of(), Filters.matchAll()),
        Optional.empty());
    assertThat(HybridSearchTest.ids(similar)).hasSize(3).doesNotContain("4");
  }
}
