package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.search.HashingEmbedder;
import dev.lensgate.server.search.SearchFixtures;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config push changes a field's type while the lens's index still holds documents of the old
 * shape: search and similar answer 200 with empty results and {@code meta.indexState: "stale"}
 * (before the fix: 500, the stored rows could not be decoded), in every mode.
 */
class SchemaChangeHttpTest {
  static final HashingEmbedder EMBEDDER = new HashingEmbedder(32);
  static final String YAML = SearchFixtures.PRODUCTS_YAML
      + "    grants:\n"
      + "      search: public\n"
      + "      similar: public\n";

  @TempDir Path dir;

  @Test
  void pushWithChangedFieldType_searchAndSimilar_are200StaleNot500() {
    try (GatewayHarness gw = GatewayHarness.start(dir.resolve("data"), (env, lens) -> EMBEDDER)) {
      String env = gw.defaultEnvId();
      gw.push(env, YAML);
      String pk = gw.mint(KeyType.PK, env).plaintext();
      LensConfig products = SearchFixtures.config(YAML).lens("products").orElseThrow();
      List<IndexRecord> records = new ArrayList<>();
      for (long id = 1; id <= 12; id++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("title", "alpha shoe " + id);
        row.put("body", "canvas");
        row.put("category", "a");
        row.put("price", new BigDecimal("12.50"));
        row.put("stock", id);
        row.put("active", true);
        records.add(SearchFixtures.record(products, row, EMBEDDER));
      }
      gw.gateway().indexes().writer(env, products).upsert(records);
      GatewayHarness.Reply before = gw.post("/v1/search/products", pk, null, "{\"query\":\"shoe\",\"mode\":\"keyword\"}");
      assertThat(before.status()).as("%s", before).isEqualTo(200);
      assertThat(before.json().path("results").size()).isEqualTo(10);

      gw.push(env, YAML.replace("stock: { type: integer }", "stock: { type: string }"));

      for (String mode : List.of("keyword", "semantic", "hybrid")) {
        GatewayHarness.Reply r = gw.post("/v1/search/products", pk, null,
            "{\"query\":\"shoe\",\"mode\":\"" + mode + "\",\"where\":{\"stock\":\"3\"}}");
        assertThat(r.status()).as("%s %s", mode, r).isEqualTo(200);
        assertThat(r.json().path("results").size()).isZero();
        assertThat(r.json().path("meta").path("indexState").asText()).isEqualTo("stale");
      }
      GatewayHarness.Reply similar = gw.post("/v1/similar/products", pk, null, "{\"id\":1}");
      assertThat(similar.status()).as("%s", similar).isEqualTo(200);
      assertThat(similar.json().path("meta").path("indexState").asText()).isEqualTo("stale");
    }
  }
}
