package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.search.HashingEmbedder;
import dev.lensgate.server.search.SearchFixtures;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/search/:lens} and {@code /v1/similar/:lens} over HTTP on a real gateway with a
 * deterministic embedder: response shape, key types, rule filters, environment isolation, body
 * validation codes, and embedding failures (502 for semantic/hybrid while keyword keeps working).
 */
class SearchHttpTest {
  @TempDir static Path dir;
  static GatewayHarness gw;
  static final HashingEmbedder EMBEDDER = new HashingEmbedder(64);
  static String envA;
  static String envB;
  static String pkA;
  static String skA;
  static String ikA;
  static String pkB;
  static String userA;
  static UserTokens users;

  static final String YAML = SearchFixtures.PRODUCTS_YAML
      + "    grants:\n"
      + "      search: public\n"
      + "      similar: public\n"
      + "  ruled:\n"
      + "    source: main\n"
      + "    table: products\n"
      + "    primaryKey: id\n"
      + "    fields:\n"
      + "      id: { type: integer }\n"
      + "      title: { type: string, searchable: true }\n"
      + "      body: { type: string, searchable: true }\n"
      + "      category: { type: string }\n"
      + "      price: { type: number }\n"
      + "      stock: { type: integer }\n"
      + "      active: { type: boolean }\n"
      + "    grants:\n"
      + "      search:\n"
      + "        authenticated: true\n"
      + "        rule: \"has(claims.cat) ? {'filter': {'category': claims.cat}} : false\"\n"
      + "      similar:\n"
      + "        authenticated: true\n"
      + "        rule: \"has(claims.cat) ? {'filter': {'category': claims.cat}} : false\"\n";

  @BeforeAll
  static void start() {
    gw = GatewayHarness.start(dir.resolve("data"), (env, lens) -> EMBEDDER);
    envA = gw.defaultEnvId();
    envB = gw.createEnv("staging");
    users = UserTokens.create(dir.resolve("jwks.json"));
    userA = users.rs256("u1", Map.of("cat", "a"));
    gw.push(envA, YAML + users.authYaml());
    gw.push(envB, YAML + "  onlyb:\n    source: main\n    table: t\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n" + users.authYaml());
    pkA = gw.mint(KeyType.PK, envA).plaintext();
    skA = gw.mint(KeyType.SK, envA).plaintext();
    ikA = gw.mint(KeyType.IK, envA).plaintext();
    pkB = gw.mint(KeyType.PK, envB).plaintext();
    LensConfig products = SearchFixtures.config(YAML).lens("products").orElseThrow();
    LensConfig ruled = SearchFixtures.config(YAML).lens("ruled").orElseThrow();
    List<IndexRecord> a = new ArrayList<>();
    List<IndexRecord> ruledRows = new ArrayList<>();
    String[] cats = {"a", "b", "c"};
    for (long id = 1; id <= 60; id++) {
      Map<String, Object> row = row(id, "alpha shoe " + (id % 7 == 0 ? "leather" : "canvas"), cats[(int) (id % 3)]);
      a.add(SearchFixtures.record(products, row, EMBEDDER));
      ruledRows.add(SearchFixtures.record(ruled, row, EMBEDDER));
    }
    gw.gateway().indexes().writer(envA, products).upsert(a);
    gw.gateway().indexes().writer(envA, ruled).upsert(ruledRows);
    List<IndexRecord> b = new ArrayList<>();
    for (long id = 1001; id <= 1010; id++) {
      b.add(SearchFixtures.record(products, row(id, "beta shoe canvas", "a"), EMBEDDER));
    }
    gw.gateway().indexes().writer(envB, products).upsert(b);
  }

  static Map<String, Object> row(long id, String title, String category) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("title", title);
    row.put("body", "size " + id);
    row.put("category", category);
    row.put("price", new BigDecimal("12.50"));
    row.put("stock", id);
    row.put("active", id % 2 == 0);
    return row;
  }

  @AfterEach
  void healthy() {
    EMBEDDER.failing(false);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  static Set<Long> ids(JsonNode answer) {
    Set<Long> out = new HashSet<>();
    answer.path("results").forEach(r -> out.add(r.path("sourceRowId").asLong()));
    return out;
  }

  @Test
  void search_pkKey_answersContractShape() {
    GatewayHarness.Reply r = gw.post("/v1/search/products", pkA, null,
        "{\"query\":\"leather\",\"mode\":\"keyword\",\"limit\":5}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode json = r.json();
    JsonNode first = json.path("results").get(0);
    long id = first.path("sourceRowId").asLong();
    assertThat(id % 7).isZero();
    assertThat(first.path("sourceRowId").isIntegralNumber()).isTrue();
    assertThat(first.path("id").asText()).isEqualTo("products:" + id);
    assertThat(first.path("content").asText()).isEqualTo("alpha shoe leather\nsize " + id);
    assertThat(first.path("metadata").path("price").decimalValue()).isEqualByComparingTo("12.50");
    assertThat(first.path("metadata").size()).isEqualTo(7);
    assertThat(first.path("score").asDouble()).isBetween(0.0, 1.0);
    JsonNode meta = json.path("meta");
    assertThat(meta.path("lens").asText()).isEqualTo("products");
    assertThat(meta.path("query").asText()).isEqualTo("leather");
    assertThat(meta.path("mode").asText()).isEqualTo("keyword");
    assertThat(meta.path("count").asInt()).isEqualTo(json.path("results").size()).isEqualTo(5);
    assertThat(meta.path("durationMs").isNumber()).isTrue();
    assertThat(meta.has("indexState")).isFalse();

    for (String mode : List.of("semantic", "hybrid")) {
      GatewayHarness.Reply m = gw.post("/v1/search/products", pkA, null, "{\"query\":\"leather shoe\",\"mode\":\"" + mode + "\"}");
      assertThat(m.status()).as(m.body()).isEqualTo(200);
      assertThat(m.json().path("results").size()).isEqualTo(10);
      assertThat(m.json().path("meta").path("mode").asText()).isEqualTo(mode);
    }
    GatewayHarness.Reply similar = gw.post("/v1/similar/products", pkA, null, "{\"id\":7,\"limit\":3}");
    assertThat(similar.status()).as(similar.body()).isEqualTo(200);
    assertThat(ids(similar.json())).hasSize(3).doesNotContain(7L);
    assertThat(similar.json().path("meta").path("mode").asText()).isEqualTo("similar");
    assertThat(gw.post("/v1/similar/products", pkA, null, "{\"id\":\"7\"}").status()).isEqualTo(200);
  }

  @Test
  void javaClient_searchAndSimilar_decodeTheAnswers() {
    dev.lensgate.client.LensgateClient client = gw.client(pkA);
    dev.lensgate.client.SearchResult found = client.search("products",
        dev.lensgate.client.SearchRequest.of("leather").mode(dev.lensgate.client.SearchMode.KEYWORD).limit(3)
            .where(dev.lensgate.client.Where.raw(Map.of("active", false))));
    assertThat(found.results()).hasSize(3).allSatisfy(h -> {
      assertThat(h.id()).startsWith("products:");
      assertThat(h.content()).contains("leather");
      assertThat(h.metadata().asMap()).containsEntry("active", false);
      assertThat(h.score()).isBetween(0.0, 1.0);
    });
    assertThat(found.meta().mode()).isEqualTo("keyword");
    assertThat(found.meta().count()).isEqualTo(3);
    dev.lensgate.client.SearchResult similar = client.similar("products",
        dev.lensgate.client.SimilarRequest.of(7).limit(4).fields("title"));
    assertThat(similar.results()).hasSize(4).noneSatisfy(h -> assertThat(h.sourceRowId()).isEqualTo("7"));
    assertThat(similar.meta().query()).isEqualTo("7");
    assertThat(similar.meta().mode()).isEqualTo("similar");
  }

  @Test
  void ingestKey_cannotSearchOrSimilar_likeQuery() {
    GatewayHarness.Reply query = gw.post("/v1/query/products", ikA, null, "{}");
    for (String path : List.of("/v1/search/products", "/v1/similar/products")) {
      GatewayHarness.Reply r = gw.post(path, ikA, null, path.contains("search") ? "{\"query\":\"shoe\"}" : "{\"id\":1}");
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.errorCode()).isEqualTo(query.errorCode()).isEqualTo("key_type_not_allowed");
    }
  }

  @Test
  void ruleFilter_appliesInEveryMode_andHiddenSeedIs404LikeMissing() {
    for (String mode : List.of("keyword", "semantic", "hybrid")) {
      GatewayHarness.Reply r = gw.post("/v1/search/ruled", pkA, userA,
          "{\"query\":\"shoe canvas leather\",\"mode\":\"" + mode + "\",\"limit\":100}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("results").size()).isEqualTo(20);
      r.json().path("results").forEach(x -> assertThat(x.path("metadata").path("category").asText()).isEqualTo("a"));
    }
    // A where cannot widen the rule: asking for category b yields nothing.
    GatewayHarness.Reply widen = gw.post("/v1/search/ruled", pkA, userA,
        "{\"query\":\"shoe\",\"mode\":\"keyword\",\"where\":{\"$or\":[{\"category\":\"b\"},{\"category\":\"a\"}]}}");
    widen.json().path("results").forEach(x -> assertThat(x.path("metadata").path("category").asText()).isEqualTo("a"));

    GatewayHarness.Reply visible = gw.post("/v1/similar/ruled", pkA, userA, "{\"id\":3}"); // 3 % 3 == 0 -> "a"
    assertThat(visible.status()).as(visible.body()).isEqualTo(200);
    visible.json().path("results").forEach(x -> assertThat(x.path("metadata").path("category").asText()).isEqualTo("a"));
    GatewayHarness.Reply hidden = gw.post("/v1/similar/ruled", pkA, userA, "{\"id\":4}");   // "b"
    GatewayHarness.Reply missing = gw.post("/v1/similar/ruled", pkA, userA, "{\"id\":4444}");
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.errorCode()).isEqualTo("not_found");
    assertThat(hidden.json().path("error").path("message").asText())
        .isEqualTo(missing.json().path("error").path("message").asText());
    assertThat(missing.status()).isEqualTo(404);
    // The sk_ key has no rule: it sees the hidden seed.
    assertThat(gw.post("/v1/similar/ruled", skA, null, "{\"id\":4}").status()).isEqualTo(200);
  }

  @Test
  void environments_sameLensName_keysNeverSeeTheOtherEnvironmentsIndex() {
    GatewayHarness.Reply a = gw.post("/v1/search/products", pkA, null, "{\"query\":\"shoe\",\"mode\":\"keyword\",\"limit\":100}");
    GatewayHarness.Reply b = gw.post("/v1/search/products", pkB, null, "{\"query\":\"shoe\",\"mode\":\"keyword\",\"limit\":100}");
    assertThat(ids(a.json())).hasSize(60).allSatisfy(id -> assertThat(id).isLessThanOrEqualTo(60));
    assertThat(ids(b.json())).hasSize(10).allSatisfy(id -> assertThat(id).isGreaterThan(1000));
    assertThat(gw.post("/v1/similar/products", pkA, null, "{\"id\":1001}").status()).isEqualTo(404);
    GatewayHarness.Reply otherLens = gw.post("/v1/search/onlyb", pkA, null, "{\"query\":\"x\"}");
    assertThat(otherLens.status()).isEqualTo(404);
    assertThat(otherLens.errorCode()).isEqualTo("lens_not_found");
    // env B's "ruled" lens was never indexed: empty, and says so.
    GatewayHarness.Reply notBuilt = gw.post("/v1/search/ruled", pkB, userA, "{\"query\":\"shoe\",\"mode\":\"keyword\"}");
    assertThat(notBuilt.status()).isEqualTo(200);
    assertThat(notBuilt.json().path("results").size()).isZero();
    assertThat(notBuilt.json().path("meta").path("indexState").asText()).isEqualTo("not_built");
  }

  @Test
  void badBodies_areClear4xxCodes() {
    Map<String, String> search = new LinkedHashMap<>();
    search.put("{}", "invalid_request");
    search.put("{\"query\":\"\"}", "invalid_request");
    search.put("{\"query\":5}", "invalid_request");
    search.put("{\"query\":\"x\",\"limit\":101}", "invalid_request");
    search.put("{\"query\":\"x\",\"limit\":0}", "invalid_request");
    search.put("{\"query\":\"x\",\"limit\":2.5}", "invalid_request");
    search.put("{\"query\":\"x\",\"minScore\":1.5}", "invalid_request");
    search.put("{\"query\":\"x\",\"minScore\":\"high\"}", "invalid_request");
    search.put("{\"query\":\"x\",\"mode\":\"fuzzy\"}", "invalid_request");
    search.put("{\"query\":\"x\",\"extra\":1}", "invalid_request");
    search.put("{\"query\":\"x\",\"where\":{\"secret\":1}}", "unknown_field");
    search.put("{\"query\":\"x\",\"where\":{\"price\":{\"$regex\":\"a\"}}}", "unsupported_operator");
    search.put("{\"query\":\"x\",\"where\":[1]}", "invalid_request");
    search.put("{\"query\":\"x\",\"where\":{\"stock\":\"many\"}}", "invalid_request");
    search.put("{\"query\":\"" + "x".repeat(4097) + "\"}", "invalid_request");
    search.put("{\"query\":", "invalid_json");
    search.forEach((body, code) -> {
      GatewayHarness.Reply r = gw.post("/v1/search/products", pkA, null, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.errorCode()).as(body).isEqualTo(code);
    });
    Map<String, String> similar = new LinkedHashMap<>();
    similar.put("{}", "invalid_request");
    similar.put("{\"id\":{}}", "invalid_request");
    similar.put("{\"id\":\"seven\"}", "invalid_request");
    similar.put("{\"id\":1,\"fields\":[]}", "invalid_request");
    similar.put("{\"id\":1,\"fields\":[\"category\"]}", "invalid_request");
    similar.put("{\"id\":1,\"fields\":[\"nope\"]}", "unknown_field");
    similar.put("{\"id\":1,\"limit\":1000}", "invalid_request");
    similar.put("{\"id\":1,\"query\":\"x\"}", "invalid_request");
    similar.put("{\"id\":1,\"where\":{\"nope\":1}}", "unknown_field");
    similar.forEach((body, code) -> {
      GatewayHarness.Reply r = gw.post("/v1/similar/products", pkA, null, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.errorCode()).as(body).isEqualTo(code);
    });
  }

  @Test
  void embeddingFailure_is502InSemanticAndHybrid_whileKeywordAndSimilarWork() {
    EMBEDDER.failing(true);
    for (String mode : List.of("semantic", "hybrid")) {
      GatewayHarness.Reply r = gw.post("/v1/search/products", pkA, null, "{\"query\":\"shoe\",\"mode\":\"" + mode + "\"}");
      assertThat(r.status()).as(mode).isEqualTo(502);
      assertThat(r.errorCode()).isEqualTo("embedding_failed");
    }
    assertThat(gw.post("/v1/search/products", pkA, null, "{\"query\":\"shoe\"}").errorCode())
        .as("semantic is the default mode").isEqualTo("embedding_failed");
    GatewayHarness.Reply keyword = gw.post("/v1/search/products", pkA, null, "{\"query\":\"shoe\",\"mode\":\"keyword\"}");
    assertThat(keyword.status()).isEqualTo(200);
    assertThat(keyword.json().path("results").size()).isEqualTo(10);
    GatewayHarness.Reply similar = gw.post("/v1/similar/products", pkA, null, "{\"id\":2}");
    assertThat(similar.status()).as("similar uses the stored vector").isEqualTo(200);
    GatewayHarness.Reply subset = gw.post("/v1/similar/products", pkA, null, "{\"id\":2,\"fields\":[\"title\"]}");
    assertThat(subset.status()).as("a field subset needs the embedder").isEqualTo(502);
  }
}
