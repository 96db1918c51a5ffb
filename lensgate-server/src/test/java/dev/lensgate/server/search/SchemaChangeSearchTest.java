package dev.lensgate.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndex;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.index.SchemaFingerprint;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lens config changes a field's type while the index still holds documents written for the
 * old shape: search and similar answer empty with {@code meta.indexState: "stale"} (never an
 * exception, so never a 500) until a rebuild with the new shape, which the index records.
 */
class SchemaChangeSearchTest {
  static final String ENV = "env_a";
  @TempDir Path dir;
  LensIndexes indexes;
  HashingEmbedder embedder = new HashingEmbedder(32);
  SearchEngine engine;
  LensConfig lens = SearchFixtures.products();
  LensConfig stockAsText = SearchFixtures.config(SearchFixtures.PRODUCTS_YAML
      .replace("stock: { type: integer }", "stock: { type: string }")).lens("products").orElseThrow();

  @BeforeEach
  void setUp() {
    indexes = new LensIndexes(dir);
    engine = new SearchEngine(indexes, (env, l) -> embedder);
    List<IndexRecord> records = new ArrayList<>();
    for (long id = 1; id <= 20; id++) {
      records.add(SearchFixtures.record(lens, SearchEngineTest.product(id, "red shoe " + id, "leather", "a"), embedder));
    }
    indexes.writer(ENV, lens).upsert(records);
  }

  @AfterEach
  void tearDown() {
    indexes.close();
  }

  @Test
  void fingerprint_dependsOnNamesTypesAndKey_notOnOtherSettings() {
    assertThat(SchemaFingerprint.of(lens.schema())).isEqualTo(SchemaFingerprint.of(SearchFixtures.products().schema()));
    assertThat(SchemaFingerprint.of(stockAsText.schema())).isNotEqualTo(SchemaFingerprint.of(lens.schema()));
    LensConfig renamed = SearchFixtures.config(SearchFixtures.PRODUCTS_YAML.replace("stock:", "units:"))
        .lens("products").orElseThrow();
    assertThat(SchemaFingerprint.of(renamed.schema())).isNotEqualTo(SchemaFingerprint.of(lens.schema()));
    LensConfig notSearchable = SearchFixtures.config(SearchFixtures.PRODUCTS_YAML
        .replace("body: { type: string, searchable: true }", "body: { type: string }")).lens("products").orElseThrow();
    assertThat(SchemaFingerprint.of(notSearchable.schema())).isEqualTo(SchemaFingerprint.of(lens.schema()));
    assertThat(indexes.writer(ENV, lens).schemaFingerprint()).contains(SchemaFingerprint.of(lens.schema()));
  }

  @Test
  void fieldTypeChanged_everyModeAndSimilar_answerEmptyAndStale_renderedAsIndexStateStale() throws Exception {
    for (SearchMode mode : SearchMode.values()) {
      SearchResult r = engine.search(ENV, stockAsText,
          new SearchRequest("red shoe", 10, 0, mode, Filters.eq("stock", "3")), Optional.empty());
      assertThat(r.index()).as(mode.wireName()).isEqualTo(SearchResult.IndexView.STALE);
      assertThat(r.hits()).isEmpty();
      assertThat(r.indexBuilt()).isTrue();
    }
    SearchResult similar = engine.similar(ENV, stockAsText,
        new SimilarRequest("1", null, 5, 0, List.of("title"), Filters.matchAll()), Optional.of(Filters.eq("stock", "3")));
    assertThat(similar.index()).isEqualTo(SearchResult.IndexView.STALE);
    assertThat(similar.hits()).isEmpty();

    JsonNode json = new ObjectMapper().readTree(SearchResponse.render(stockAsText, TextNode.valueOf("red shoe"),
        "keyword", engine.search(ENV, stockAsText, new SearchRequest("red shoe", 10, 0, SearchMode.KEYWORD,
            Filters.matchAll()), Optional.empty()), 1.0));
    assertThat(json.path("results").size()).isZero();
    assertThat(json.path("meta").path("indexState").asText()).isEqualTo("stale");
    assertThat(json.path("meta").path("count").asInt()).isZero();

    // The old shape is still readable: nothing was lost, only hidden until the rebuild.
    SearchResult old = engine.search(ENV, lens, new SearchRequest("red shoe", 10, 0, SearchMode.KEYWORD,
        Filters.matchAll()), Optional.empty());
    assertThat(old.index()).isEqualTo(SearchResult.IndexView.READY);
    assertThat(old.hits()).hasSize(10);
    assertThat(new ObjectMapper().readTree(SearchResponse.render(lens, TextNode.valueOf("red shoe"), "keyword", old, 1.0))
        .path("meta").has("indexState")).isFalse();
  }

  @Test
  void rebuildWithTheNewShape_recordsItsFingerprint_andSearchServesTheNewTypes() {
    LensIndex index = indexes.index(ENV, stockAsText);
    try (LensIndexWriter.Rebuild rebuild = index.beginRebuild(embedder.id())) {
      List<IndexRecord> records = new ArrayList<>();
      for (long id = 1; id <= 20; id++) {
        Map<String, Object> row = SearchEngineTest.product(id, "red shoe " + id, "leather", "a");
        row.put("stock", id % 2 == 0 ? "even" : "odd");
        records.add(SearchFixtures.record(stockAsText, row, embedder));
      }
      rebuild.add(records);
      rebuild.commitAndSwap();
    }
    assertThat(index.schemaFingerprint()).contains(SchemaFingerprint.of(stockAsText.schema()));
    SearchResult r = engine.search(ENV, stockAsText,
        new SearchRequest("red shoe", 20, 0, SearchMode.HYBRID, Filters.eq("stock", "even")), Optional.empty());
    assertThat(r.index()).isEqualTo(SearchResult.IndexView.READY);
    assertThat(r.hits()).hasSize(10).allSatisfy(h -> assertThat(h.document().row().get("stock")).isEqualTo("even"));
    // And now the old shape is the stale one.
    assertThat(engine.search(ENV, lens, new SearchRequest("red shoe", 10, 0, SearchMode.SEMANTIC,
        Filters.matchAll()), Optional.empty()).index()).isEqualTo(SearchResult.IndexView.STALE);
    assertThat(new BigDecimal("9.99")).isEqualTo(r.hits().get(0).document().row().get("price"));
  }
}
