package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.server.http.Route;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.testkit.TestDatabase;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published description and the served API agree: {@code GET /v1/openapi.json} is OpenAPI
 * 3.1; every documented path and method is really served (never {@code not_found} or
 * {@code method_not_allowed}) with the documented auth requirement and a documented status; every
 * route the gateway registers is documented; the error-code enum is exactly the gateway's codes;
 * every {@code $ref} resolves.
 */
class OpenApiRoutesTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options");
  /** A valid body for operations that need more than {@code {}} (search needs a query, similar a seed). */
  private static final Map<String, String> SAMPLE_BODIES = Map.of(
      "/v1/search/{lens}", "{\"query\":\"one\",\"mode\":\"keyword\"}",
      "/v1/similar/{lens}", "{\"id\":1}");

  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static TestDatabase db;
  private static String sk;
  private static JsonNode doc;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    db.execute("CREATE TABLE \"things\" (\"id\" BIGINT PRIMARY KEY, \"label\" VARCHAR(50))",
        "INSERT INTO \"things\" VALUES (1, 'one'), (2, 'two')");
    gw = GatewayHarness.start(dir.resolve("data"));
    String env = gw.defaultEnvId();
    gw.connect(env, "main", db);
    String yaml = "stack: lensgate/v1\n"
        + "sources:\n  main:\n    type: h2\n"
        + "lenses:\n"
        + "  things:\n"
        + "    source: main\n"
        + "    table: things\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      label: { type: string }\n"
        + "    grants:\n"
        + "      query: public\n";
    gw.push(env, yaml);
    sk = gw.mint(KeyType.SK, env).plaintext();
    gw.gateway().indexes().writer(env, dev.lensgate.core.config.ConfigLoader.parse(yaml, "it.yaml").config().orElseThrow()
        .lens("things").orElseThrow()).upsert(List.of(
        new IndexRecord("1", Map.of("id", 1L, "label", "one"), "one", Optional.of(new float[] {1f, 0f}), "h1"),
        new IndexRecord("2", Map.of("id", 2L, "label", "two"), "two", Optional.of(new float[] {0f, 1f}), "h2")));
    GatewayHarness.Reply r = gw.get("/v1/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    doc = r.json();
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

  @Test
  void openApi_document_isOpenApi31WithInfoAndPaths() {
    assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    assertThat(doc.path("info").path("title").asText()).isNotBlank();
    assertThat(doc.path("info").path("version").asText()).isNotBlank();
    assertThat(doc.path("paths").size()).isGreaterThan(0);
  }

  @Test
  void openApi_everyDocumentedOperation_isServedWithItsDocumentedAuth() {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, JsonNode> p : doc.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : p.getValue().properties()) {
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        String concrete = p.getKey().replaceAll("\\{[^}]+}", "things");
        JsonNode responses = op.getValue().path("responses");
        boolean needsKey = requiresAuth(op.getValue());

        String body = SAMPLE_BODIES.getOrDefault(p.getKey(), "{}");
        GatewayHarness.Reply withKey = call(op.getKey(), concrete, sk, body);
        assertServed(withKey, op.getKey(), p.getKey());
        assertThat(withKey.status()).as("%s %s with a key: %s", op.getKey(), p.getKey(), withKey).isBetween(200, 299);
        assertThat(responses.has(Integer.toString(withKey.status()))).as("status %d documented for %s %s",
            withKey.status(), op.getKey(), p.getKey()).isTrue();

        GatewayHarness.Reply anonymous = call(op.getKey(), concrete, null, body);
        assertServed(anonymous, op.getKey(), p.getKey());
        if (needsKey) {
          assertThat(anonymous.status()).as("%s %s without a key", op.getKey(), p.getKey()).isEqualTo(401);
          assertThat(anonymous.errorCode()).isEqualTo("missing_api_key");
        } else {
          assertThat(anonymous.status()).as("%s %s without a key", op.getKey(), p.getKey()).isBetween(200, 299);
        }
        assertThat(responses.has(Integer.toString(anonymous.status()))).as("status %d documented for %s %s",
            anonymous.status(), op.getKey(), p.getKey()).isTrue();
        checked.add(op.getKey() + " " + p.getKey());
      }
    }
    assertThat(checked).isNotEmpty();
  }

  @Test
  void routes_everyRegisteredRoute_isDocumentedWithMatchingAuth() {
    List<Route> routes = gw.gateway().http().routes();
    assertThat(routes).isNotEmpty();
    for (Route route : routes) {
      JsonNode op = doc.path("paths").path(route.path()).path(route.method().name().toLowerCase(Locale.ROOT));
      assertThat(op.isObject()).as("%s %s is documented", route.method(), route.path()).isTrue();
      assertThat(requiresAuth(op)).as("auth of %s %s", route.method(), route.path()).isEqualTo(route.authenticated());
      assertThat(op.path("operationId").asText()).as("operationId of %s", route.path()).isNotBlank();
    }
    Set<String> registered = routes.stream().map(r -> r.method().name().toLowerCase(Locale.ROOT) + " " + r.path())
        .collect(Collectors.toSet());
    Set<String> documented = new HashSet<>();
    doc.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (METHODS.contains(m)) {
        documented.add(m + " " + p.getKey());
      }
    }));
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void openApi_errorCodeEnum_isExactlyTheGatewaysCodes() {
    JsonNode codes = doc.path("components").path("schemas").path("Error").path("properties").path("error")
        .path("properties").path("code").path("enum");
    Set<String> documented = new HashSet<>();
    codes.forEach(c -> documented.add(c.asText()));
    Set<String> actual = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
    assertThat(documented).isEqualTo(actual);
  }

  @Test
  void openApi_everyRef_resolvesInsideTheDocument() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).as("local ref").startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
    }
  }

  @Test
  void openApi_queryRequestSchema_matchesTheBodyTheGatewayAccepts() {
    JsonNode schema = doc.path("components").path("schemas").path("QueryRequest");
    Set<String> props = new HashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(props::add);
    assertThat(props).containsExactlyInAnyOrder("where", "orderBy", "limit", "offset", "cursor", "select");
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
    int max = schema.path("properties").path("limit").path("maximum").asInt();

    assertThat(gw.post("/v1/query/things", sk, null, "{\"limit\":" + max + "}").status()).isEqualTo(200);
    GatewayHarness.Reply over = gw.post("/v1/query/things", sk, null, "{\"limit\":" + (max + 1) + "}");
    assertThat(over.errorCode()).isEqualTo("invalid_request");
    GatewayHarness.Reply extra = gw.post("/v1/query/things", sk, null, "{\"unexpected\":1}");
    assertThat(extra.errorCode()).isEqualTo("invalid_request");
  }

  @Test
  void openApi_requiredResponseFields_arePresentInRealAnswers() {
    GatewayHarness.Reply ok = gw.post("/v1/query/things", sk, null, "{\"limit\":1}");
    JsonNode response = doc.path("components").path("schemas").path("QueryResponse");
    response.path("required").forEach(f -> assertThat(ok.json().has(f.asText())).as("answer has %s", f).isTrue());
    response.path("properties").path("meta").path("required")
        .forEach(f -> assertThat(ok.json().path("meta").has(f.asText())).as("meta has %s", f).isTrue());
    assertThat(ok.json().path("meta").path("nextCursor").isTextual()).isTrue();

    GatewayHarness.Reply error = gw.post("/v1/query/nosuchlens", sk, null, "{}");
    doc.path("components").path("schemas").path("Error").path("properties").path("error").path("required")
        .forEach(f -> assertThat(error.json().path("error").path(f.asText()).isTextual()).as("error has %s", f).isTrue());
  }

  @Test
  void undocumentedPathsAndMethods_areNotFoundOrNotAllowed_inTheEnvelope() {
    for (String path : List.of("/v1/nothing", "/v2/query/things", "/v1/admin", "/")) {
      GatewayHarness.Reply r = gw.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.errorCode()).isEqualTo("not_found");
    }
    GatewayHarness.Reply wrongMethod = call("get", "/v1/query/things", sk);
    assertThat(wrongMethod.status()).isIn(404, 405);
    assertThat(wrongMethod.errorCode()).isIn("not_found", "method_not_allowed");
    GatewayHarness.Reply deleteHealth = gw.send(gw.request("/v1/health").DELETE().build());
    assertThat(deleteHealth.status()).isIn(404, 405);
    assertThat(deleteHealth.errorCode()).isIn("not_found", "method_not_allowed");
  }

  /** The operation's own {@code security}, else the document's; an empty list means no key. */
  private static boolean requiresAuth(JsonNode op) {
    JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
    return security.isArray() && security.size() > 0;
  }

  private static void assertServed(GatewayHarness.Reply r, String method, String path) {
    assertThat(r.status()).as("%s %s: %s", method, path, r).isNotEqualTo(405);
    if (r.status() == 404) {
      assertThat(r.errorCode()).as("%s %s: %s", method, path, r).isNotEqualTo("not_found");
    }
    assertThat(r.requestIdHeader()).isNotBlank();
  }

  private static GatewayHarness.Reply call(String method, String path, String key) {
    return call(method, path, key, "{}");
  }

  private static GatewayHarness.Reply call(String method, String path, String key, String body) {
    HttpRequest.Builder b = gw.request(path);
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if ("post".equals(method)) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method.toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.noBody());
    }
    return gw.send(b.build());
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
