package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexWriter;
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

/** A gateway restarted on the same data directory serves the last committed index generation. */
class SearchRestartHttpTest {
  @TempDir Path dir;

  static List<IndexRecord> rows(LensConfig lens, HashingEmbedder embedder, String word, int from, int count) {
    List<IndexRecord> out = new ArrayList<>();
    for (long id = from; id < from + count; id++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", id);
      row.put("title", word + " lamp");
      row.put("body", "model " + id);
      row.put("category", "a");
      row.put("price", BigDecimal.ONE);
      row.put("stock", id);
      row.put("active", true);
      out.add(SearchFixtures.record(lens, row, embedder));
    }
    return out;
  }

  @Test
  void restart_servesLastCommittedGeneration() {
    HashingEmbedder embedder = new HashingEmbedder(64);
    LensConfig lens = SearchFixtures.products();
    String key;
    String env;
    String body = "{\"query\":\"lamp\",\"mode\":\"keyword\",\"limit\":100}";
    try (GatewayHarness gw = GatewayHarness.start(dir.resolve("data"), (e, l) -> embedder)) {
      env = gw.defaultEnvId();
      gw.push(env, SearchFixtures.PRODUCTS_YAML);
      key = gw.mint(KeyType.SK, env).plaintext();
      LensIndexWriter writer = gw.gateway().indexes().writer(env, lens);
      writer.upsert(rows(lens, embedder, "old", 1, 5));
      try (LensIndexWriter.Rebuild rebuild = writer.beginRebuild(embedder.id())) {
        rebuild.add(rows(lens, embedder, "rebuilt", 100, 7));
        rebuild.commitAndSwap();
      }
      writer.upsert(rows(lens, embedder, "after", 200, 1));
      // An abandoned rebuild at shutdown must not become the served generation.
      writer.beginRebuild(embedder.id()).add(rows(lens, embedder, "abandoned", 300, 3));
      assertThat(gw.post("/v1/search/products", key, null, body).json().path("results").size()).isEqualTo(8);
    }
    try (GatewayHarness gw = GatewayHarness.start(dir.resolve("data"), (e, l) -> embedder)) {
      GatewayHarness.Reply r = gw.post("/v1/search/products", key, null, body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      List<Long> ids = new ArrayList<>();
      r.json().path("results").forEach(x -> ids.add(x.path("sourceRowId").asLong()));
      assertThat(ids).containsExactlyInAnyOrder(100L, 101L, 102L, 103L, 104L, 105L, 106L, 200L);
    }
  }
}
