package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code defaults.limit} over HTTP: a query body without {@code limit} gets the page size of its
 * environment's active config; a {@code limit} in the body still wins and is still capped at 1000.
 */
class QueryDefaultLimitTest {
  private static final int ROWS = 5;

  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static TestDatabase db;
  private static String envA;
  private static String keyA;
  private static String keyB;

  @BeforeAll
  static void startGateway() {
    db = TestDatabase.h2();
    db.execute("CREATE TABLE \"items\" (\"id\" BIGINT PRIMARY KEY, \"org_id\" VARCHAR(20), \"title\" VARCHAR(100))",
        "INSERT INTO \"items\" VALUES (1, 'o', 'a'), (2, 'o', 'b'), (3, 'o', 'c'), (4, 'o', 'd'), (5, 'o', 'e')");
    gw = GatewayHarness.start(dir.resolve("data"));
    envA = gw.defaultEnvId();
    String envB = gw.createEnv("staging");
    gw.connect(envA, "main", db);
    gw.connect(envB, "main", db);
    gw.push(envA, config("defaults:\n  limit: 2\n"));
    gw.push(envB, config(""));
    keyA = gw.mint(KeyType.PK, envA).plaintext();
    keyB = gw.mint(KeyType.PK, envB).plaintext();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static String config(String defaults) {
    return "stack: lensgate/v1\n"
        + "sources:\n  main:\n    type: h2\n"
        + "lenses:\n"
        + DecisionFlowHttpTest.lens("items", "query: public")
        + defaults;
  }

  private static JsonNode query(String key, String body) {
    GatewayHarness.Reply r = gw.post("/v1/query/items", key, null, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void query_withoutLimit_getsTheConfiguredDefault() {
    JsonNode page = query(keyA, "{}");

    assertThat(page.get("rows")).hasSize(2);
    assertThat(page.path("meta").path("count").asInt()).isEqualTo(2);
    assertThat(page.path("meta").path("nextCursor").isTextual()).isTrue();
    assertThat(query(keyA, "{\"limit\":null}").get("rows")).hasSize(2);
  }

  @Test
  void query_withLimit_overridesTheDefault_upToTheCap() {
    assertThat(query(keyA, "{\"limit\":4}").get("rows")).hasSize(4);
    assertThat(query(keyA, "{\"limit\":1}").get("rows")).hasSize(1);
    assertThat(query(keyA, "{\"limit\":1000}").get("rows")).hasSize(ROWS);

    GatewayHarness.Reply tooMany = gw.post("/v1/query/items", keyA, null, "{\"limit\":1001}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.errorCode()).isEqualTo("invalid_request");
  }

  @Test
  void cursorWalk_withoutLimit_pagesByTheDefaultAndSeesEveryRowOnce() {
    List<Long> ids = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    JsonNode page = query(keyA, "{}");
    while (true) {
      page.get("rows").forEach(row -> ids.add(row.get("id").asLong()));
      pageSizes.add(page.get("rows").size());
      JsonNode next = page.path("meta").path("nextCursor");
      if (!next.isTextual()) {
        break;
      }
      page = query(keyA, "{\"cursor\":" + GatewayHarness.JSON.valueToTree(next.textValue()) + "}");
    }

    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void otherEnvironment_withoutDefaults_keepsTheContractDefault() {
    JsonNode page = query(keyB, "{}");

    assertThat(page.get("rows")).hasSize(ROWS);
    assertThat(page.path("meta").has("nextCursor")).isFalse();
  }

  @Test
  void pushedConfig_changesTheDefaultOnTheNextRequest() {
    String envC = gw.createEnv("pushed");
    gw.connect(envC, "main", db);
    gw.push(envC, config("defaults:\n  limit: 3\n"));
    String keyC = gw.mint(KeyType.PK, envC).plaintext();
    assertThat(query(keyC, "{}").get("rows")).hasSize(3);

    gw.push(envC, config("defaults:\n  limit: 1\n"));

    assertThat(query(keyC, "{}").get("rows")).hasSize(1);
  }
}
