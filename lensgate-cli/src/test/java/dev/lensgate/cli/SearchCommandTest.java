package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.index.IndexRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lensgate search} and {@code lensgate similar} against a real gateway (NDJSON when piped). */
class SearchCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Gateway gateway;
  static Path keyFile;
  static String url;

  /** Two-dimensional: "red" texts point one way, everything else the other. */
  static final class RedEmbedder implements Embedder {
    @Override public String id() { return "test:red"; }

    @Override public int dimensions() { return 2; }

    @Override public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      texts.forEach(t -> out.add(t.contains("red") ? new float[] {1f, 0f} : new float[] {0f, 1f}));
      return out;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    GatewaySettings settings = new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), Map.of(),
        0, 0, Duration.ZERO, "cli-test");
    RedEmbedder embedder = new RedEmbedder();
    gateway = Gateway.start(settings, Clock.systemUTC(), Optional.of((env, lens) -> embedder));
    String env = gateway.store().defaultEnvironment().id();
    String yaml = "stack: lensgate/v1\n"
        + "sources:\n  main: { type: h2 }\n"
        + "lenses:\n  items:\n    source: main\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      name: { type: string, searchable: true }\n"
        + "      color: { type: string }\n"
        // Never synced: its index is not built, which search and similar report in meta.indexState.
        + "  drafts:\n    source: main\n    table: drafts\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string, searchable: true }\n";
    gateway.configs().push(env, yaml);
    gateway.refreshConfigs();
    List<IndexRecord> records = new ArrayList<>();
    String[][] items = {{"1", "red apple", "red"}, {"2", "red cherry", "red"}, {"3", "green pear", "green"},
        {"4", "red brick", "red"}, {"5", "blue sky", "blue"}};
    for (String[] it : items) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", Long.parseLong(it[0]));
      row.put("name", it[1]);
      row.put("color", it[2]);
      records.add(new IndexRecord(it[0], row, it[1], Optional.of(embedder.embed(List.of(it[1])).get(0)), "h" + it[0]));
    }
    gateway.indexes().writer(env, dev.lensgate.core.config.ConfigLoader.parse(yaml, "t.yaml").config().orElseThrow()
        .lens("items").orElseThrow()).upsert(records);
    String key = gateway.keys().create(KeyType.SK, env, "cli", Set.of()).plaintext().revealUtf8();
    keyFile = dir.resolve("key");
    Files.writeString(keyFile, key + "\n");
    url = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static CliHarness cli() {
    return CliHarness.embedded(dir.resolve("unused"));
  }

  static List<JsonNode> lines(CliHarness.Result r) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.outLines()) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void search_keywordWithWhere_printsOneJsonObjectPerResult() throws Exception {
    CliHarness.Result r = cli().run("search", "items", "red", "--mode", "keyword", "--limit", "5",
        "--where", "{\"id\":{\"$ne\":4}}", "--url", url, "--key-file", keyFile.toString());
    assertThat(r.exit()).as(r.all()).isZero();
    List<JsonNode> results = lines(r);
    assertThat(results).extracting(n -> n.path("sourceRowId").asText()).containsExactlyInAnyOrder("1", "2");
    assertThat(results.get(0).path("id").asText()).startsWith("items:");
    assertThat(results.get(0).path("metadata").path("color").asText()).isEqualTo("red");
    assertThat(results.get(0).path("score").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void similar_excludesTheSeed() throws Exception {
    CliHarness.Result r = cli().run("similar", "items", "1", "--limit", "2", "--json", "--url", url,
        "--key-file", keyFile.toString());
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(lines(r)).extracting(n -> n.path("sourceRowId").asText()).hasSize(2)
        .doesNotContain("1").allSatisfy(id -> assertThat(id).isIn("2", "4"));
  }

  @Test
  void search_onAnUnbuiltIndex_warnsOnStderr_andKeepsStdoutClean() {
    CliHarness.Result r = cli().run("search", "drafts", "anything", "--mode", "keyword", "--url", url,
        "--key-file", keyFile.toString());
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.outLines()).isEmpty();
    assertThat(r.err().strip().lines()).containsExactly(
        "warning: the index of lens 'drafts' is not built yet (no sync has run); results are empty");

    CliHarness.Result built = cli().run("search", "items", "red", "--mode", "keyword", "--url", url,
        "--key-file", keyFile.toString());
    assertThat(built.exit()).as(built.all()).isZero();
    assertThat(built.err()).doesNotContain("warning");
  }

  @Test
  void similar_onAStaleIndex_warnsOnStderr() throws Exception {
    // A stale index needs a lens whose field types changed after indexing; a scripted gateway
    // answers the way the real one then does.
    com.sun.net.httpserver.HttpServer stale = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    stale.createContext("/v1/similar/items", ex -> {
      byte[] body = "{\"results\":[],\"meta\":{\"lens\":\"items\",\"query\":\"1\",\"mode\":\"similar\",\"count\":0,\"durationMs\":0.4,\"indexState\":\"stale\"}}"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    stale.start();
    try {
      CliHarness.Result r = cli().run("similar", "items", "1", "--url", "http://127.0.0.1:" + stale.getAddress().getPort(),
          "--key-file", keyFile.toString());
      assertThat(r.exit()).as(r.all()).isZero();
      assertThat(r.outLines()).isEmpty();
      assertThat(r.err().strip().lines()).containsExactly("warning: the index of lens 'items' is stale "
          + "(the lens's fields changed; the next sync rebuilds it); results are empty");
    } finally {
      stale.stop(0);
    }
    CliHarness.Result built = cli().run("similar", "items", "1", "--url", url, "--key-file", keyFile.toString());
    assertThat(built.exit()).as(built.all()).isZero();
    assertThat(built.err()).doesNotContain("warning");
  }

  @Test
  void indexStateWarning_namesTheStateInOneLine() {
    java.io.StringWriter err = new java.io.StringWriter();
    SearchOutput.warnIndexState(new java.io.PrintWriter(err),
        new dev.lensgate.client.SearchMeta("items", "x", "keyword", 0, 1, Optional.of("stale")));
    assertThat(err.toString().strip()).isEqualTo("warning: the index of lens 'items' is stale "
        + "(the lens's fields changed; the next sync rebuilds it); results are empty");
    java.io.StringWriter none = new java.io.StringWriter();
    SearchOutput.warnIndexState(new java.io.PrintWriter(none),
        new dev.lensgate.client.SearchMeta("items", "x", "keyword", 3, 1));
    assertThat(none.toString()).isEmpty();
    assertThat(SearchOutput.indexStateText("items", "rebuilding\nnow")).contains("'rebuilding now'").doesNotContain("\n");
  }

  @Test
  void badInput_failsWithTheApiCodeOrAUsageError() {
    CliHarness.Result badMode = cli().run("search", "items", "red", "--mode", "fuzzy", "--url", url,
        "--key-file", keyFile.toString());
    assertThat(badMode.exit()).isEqualTo(2);
    assertThat(badMode.err()).contains("--mode");
    CliHarness.Result missingLens = cli().run("search", "nolens", "red", "--url", url, "--key-file", keyFile.toString());
    assertThat(missingLens.exit()).isNotZero();
    assertThat(missingLens.all()).contains("lens_not_found");
    CliHarness.Result missingSeed = cli().run("similar", "items", "99", "--url", url, "--key-file", keyFile.toString());
    assertThat(missingSeed.exit()).isNotZero();
    assertThat(missingSeed.all()).contains("not_found");
    CliHarness.Result badWhere = cli().run("search", "items", "red", "--where", "[", "--url", url,
        "--key-file", keyFile.toString());
    assertThat(badWhere.exit()).isEqualTo(2);
  }
}
