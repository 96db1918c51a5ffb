package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.client.Query;
import dev.lensgate.client.Row;
import dev.lensgate.client.Where;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile identifiers and values over HTTP against a PostgreSQL source: field names, lens names
 * and values carrying quotes, semicolons, comments, unicode, NUL and sheer length. Names are 400
 * {@code unknown_field} / 404 {@code lens_not_found}; values are data (they match the row that
 * holds them and nothing else); nothing is ever 5xx; error messages show at most a short, sanitized
 * form of what was sent; and after every test the source table is byte-for-byte what it was.
 */
class InjectionHttpTest {
  private static final String INJECTION_NAME = "Robert'); DROP TABLE products; --";
  private static final String UNICODE_NAME = "Ünïcødé 名前 🚀 \u202Eevil";
  private static final String LONG = "x".repeat(20_000);
  private static final List<String> HOSTILE_NAMES = List.of(
      "name'; DROP TABLE products; --",
      "name\"; DROP TABLE products; --",
      "id' OR '1'='1",
      "id) OR (1=1",
      "/* comment */ id",
      "id -- trailing",
      "products.name",
      "\"name\"",
      "`name`",
      "[name]",
      "na\u0000me",
      "name\n",
      "ñame",
      "名前",
      "name\u200B",
      "NAME",
      "__proto__",
      "constructor",
      "",
      " ",
      "%s%s%n",
      "${jndi:ldap://evil/x}",
      "<script>alert(1)</script>",
      "n".repeat(10_000),
      "sku");

  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static TestDatabase pg;
  private static String sk;
  private static String pk;
  private static String before;

  @BeforeAll
  static void start() throws Exception {
    pg = TestDatabase.postgres();
    pg.execute("CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL, category text, price numeric(10,2),"
        + " sku text)");
    try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO products VALUES (?, ?, ?, ?, ?)")) {
      Object[][] rows = {
          {1L, "plain boots", "shoes", "49.90"},
          {2L, INJECTION_NAME, "shoes", "10.00"},
          {3L, UNICODE_NAME, "hats", "5.50"},
          {4L, "100% wool", "hats", "20.00"},
          {5L, "under_score", "misc", "1.00"},
          {6L, "back\\slash", "misc", "2.00"},
      };
      for (Object[] r : rows) {
        ps.setLong(1, (Long) r[0]);
        ps.setString(2, (String) r[1]);
        ps.setString(3, (String) r[2]);
        ps.setBigDecimal(4, new java.math.BigDecimal((String) r[3]));
        ps.setString(5, "SKU-SECRET-" + r[0]);
        ps.executeUpdate();
      }
    }
    before = snapshot();
    gw = GatewayHarness.start(dir.resolve("data"));
    String env = gw.defaultEnvId();
    gw.connect(env, "shop", pg);
    gw.push(env, "stack: lensgate/v1\n"
        + "sources:\n  shop:\n    type: postgres\n"
        + "lenses:\n"
        + "  products:\n"
        + "    source: shop\n"
        + "    table: products\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      name: { type: string }\n"
        + "      category: { type: string }\n"
        + "      price: { type: number }\n"
        + "    grants:\n"
        + "      query: public\n"
        + "defaults:\n  grants: strict\n");
    sk = gw.mint(KeyType.SK, env).plaintext();
    pk = gw.mint(KeyType.PK, env).plaintext();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  /** Table content plus the schema's table list, as one comparable string. */
  private static String snapshot() throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      StringBuilder b = new StringBuilder();
      try (ResultSet rs = s.executeQuery("SELECT id, name, category, price, sku FROM products ORDER BY id")) {
        while (rs.next()) {
          b.append(rs.getLong(1)).append('|').append(rs.getString(2)).append('|').append(rs.getString(3)).append('|')
              .append(rs.getBigDecimal(4)).append('|').append(rs.getString(5)).append('\n');
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
          + pg.name() + "' ORDER BY table_name")) {
        while (rs.next()) {
          b.append("table:").append(rs.getString(1)).append('\n');
        }
      }
      return b.toString();
    }
  }

  @AfterEach
  void sourceIsIntact() throws Exception {
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void where_hostileFieldNames_are400UnknownField_withSanitizedMessage() {
    for (String name : HOSTILE_NAMES) {
      ObjectNode body = GatewayHarness.JSON.createObjectNode();
      body.putObject("where").put(name, "x");
      GatewayHarness.Reply r = query(sk, body.toString());
      assertThat(r.status()).as("field %s: %s", printable(name), r).isEqualTo(400);
      // A top-level key starting with $ is read as an operator, by contract.
      assertThat(r.errorCode()).as("field %s", printable(name))
          .isEqualTo(name.startsWith("$") ? "unsupported_operator" : "unknown_field");
      assertSafeMessage(r, name);
    }
  }

  @Test
  void where_hostileOperatorNames_are400UnsupportedOperator_withSanitizedMessage() {
    for (String op : List.of("$where", "$regex", "$expr", "$eq'; DROP TABLE products; --", "$" + LONG, "$\u0000")) {
      ObjectNode body = GatewayHarness.JSON.createObjectNode();
      body.putObject("where").putObject("name").put(op, "x");
      GatewayHarness.Reply r = query(sk, body.toString());
      assertThat(r.status()).as("operator %s: %s", printable(op), r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("unsupported_operator");
      assertSafeMessage(r, op);

      ObjectNode top = GatewayHarness.JSON.createObjectNode();
      top.putObject("where").put(op, "x");
      GatewayHarness.Reply atTop = query(sk, top.toString());
      assertThat(atTop.status()).as("top-level operator %s: %s", printable(op), atTop).isEqualTo(400);
      assertThat(atTop.errorCode()).isEqualTo("unsupported_operator");
      assertSafeMessage(atTop, op);
    }
  }

  @Test
  void orderByAndSelect_hostileFieldNames_are400UnknownField() {
    for (String name : HOSTILE_NAMES) {
      ObjectNode order = GatewayHarness.JSON.createObjectNode();
      order.putObject("orderBy").put("field", name).put("dir", "asc");
      GatewayHarness.Reply r = query(sk, order.toString());
      assertThat(r.status()).as("orderBy %s: %s", printable(name), r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("unknown_field");
      assertSafeMessage(r, name);

      ObjectNode select = GatewayHarness.JSON.createObjectNode();
      select.putArray("select").add("id").add(name);
      GatewayHarness.Reply s = query(sk, select.toString());
      assertThat(s.status()).as("select %s: %s", printable(name), s).isEqualTo(400);
      assertThat(s.errorCode()).isEqualTo("unknown_field");
      assertSafeMessage(s, name);
    }
  }

  @Test
  void orderBy_hostileDirection_is400InvalidRequest() {
    for (String dir : List.of("asc; DROP TABLE products", "desc --", "ASC NULLS FIRST", "", LONG)) {
      ObjectNode order = GatewayHarness.JSON.createObjectNode();
      order.putObject("orderBy").put("field", "name").put("dir", dir);
      GatewayHarness.Reply r = query(sk, order.toString());
      assertThat(r.status()).as("dir %s: %s", printable(dir), r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("invalid_request");
      assertSafeMessage(r, dir);
    }
  }

  @Test
  void path_hostileLensNames_are404LensNotFound_withoutEcho() {
    List<String> names = List.of("products'--", "products; DROP TABLE products", "products\"", "products/**/", "PRODUCTS",
        "products ", "prödücts", "名前", "%00", "products%27", "p".repeat(3_000), "${jndi:ldap://evil/x}", "<script>",
        "../health", "..", "products/..", "/");
    for (String name : names) {
      GatewayHarness.Reply r = gw.post("/v1/query/" + encodeSegment(name), sk, null, "{}");
      assertThat(r.status()).as("lens %s: %s", printable(name), r).isEqualTo(404);
      assertThat(r.errorCode()).isEqualTo("lens_not_found");
      assertSafeMessage(r, name);
    }
  }

  @Test
  void path_nulByte_isRefusedBeforeRoutingWithEnvelopeAndWithoutEcho() {
    // Jetty rejects a %00 in the path itself, before any handler runs; its error handler still
    // answers with the contract's envelope and a request id, and echoes nothing of the input.
    GatewayHarness.Reply r = gw.post("/v1/query/" + encodeSegment("products\u0000'; DROP TABLE products"), sk, null, "{}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("invalid_request");
    assertThat(r.requestIdHeader()).isNotBlank();
    assertThat(r.body()).doesNotContain("DROP").doesNotContain("\u0000").doesNotContain("products");
  }

  @Test
  void path_extraSegments_areNoRoute() {
    for (String raw : List.of("/v1/query/products/extra", "/v1/query/", "/v1/query/products/..%2F..%2Fhealth")) {
      GatewayHarness.Reply r = gw.send(gw.request(raw).header("Authorization", "Bearer " + sk)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
      assertThat(r.status()).as("%s: %s", raw, r).isEqualTo(404);
      assertThat(r.errorCode()).as("%s: %s", raw, r).isEqualTo("not_found");
      assertThat(r.requestIdHeader()).isNotBlank();
    }
  }

  @Test
  void where_hostileValues_areDataMatchingOnlyTheRowThatHoldsThem() {
    assertThat(idsWhere(Where.eq("name", INJECTION_NAME))).containsExactly(2L);
    assertThat(idsWhere(Where.eq("name", UNICODE_NAME))).containsExactly(3L);
    assertThat(idsWhere(Where.contains("name", "'); DROP"))).containsExactly(2L);
    assertThat(idsWhere(Where.contains("name", "%"))).containsExactly(4L);
    assertThat(idsWhere(Where.contains("name", "_"))).containsExactly(5L);
    assertThat(idsWhere(Where.contains("name", "\\"))).containsExactly(6L);
    assertThat(idsWhere(Where.startsWith("name", "名"))).isEmpty();
    assertThat(idsWhere(Where.contains("name", "名前 🚀"))).containsExactly(3L);
    for (String v : List.of("' OR '1'='1", "x' OR 1=1 --", "'; DROP TABLE products; --", "1; SELECT pg_sleep(10)",
        "*/ OR 1=1 /*", "\\'", "$1", "?", "%", "_", "y".repeat(4_000))) {
      assertThat(idsWhere(Where.eq("name", v))).as("value %s", printable(v)).isEmpty();
      assertThat(idsWhere(Where.eq("category", v))).as("value %s", printable(v)).isEmpty();
      assertThat(idsWhere(Where.in("name", v, v + "'"))).as("value %s", printable(v)).isEmpty();
    }
    // LIKE metacharacters are the client's own pattern, but quotes inside it stay data.
    assertThat(idsWhere(Where.like("name", "%'); DROP%"))).containsExactly(2L);
    assertThat(idsWhere(Where.like("name", "' OR 1=1 --%"))).isEmpty();
  }

  private static List<Long> idsWhere(Where w) {
    return ids(gw.client(pk).query("products", Query.where(w)).rows());
  }

  @Test
  void where_nulAndUnpairedSurrogateValues_are400NotSourceErrors() {
    for (String body : List.of("{\"where\":{\"name\":\"a\\u0000b\"}}", "{\"where\":{\"name\":{\"$like\":\"%\\u0000%\"}}}",
        "{\"where\":{\"name\":\"\\ud800\"}}")) {
      GatewayHarness.Reply r = query(sk, body);
      assertThat(r.status()).as("%s: %s", body, r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("invalid_request");
      assertThat(r.errorMessage()).doesNotContain("\u0000");
    }
  }

  @Test
  void body_wrongTypesAndHostileScalars_are400() {
    String[][] cases = {
        {"{\"where\":{\"id\":\"1 OR 1=1\"}}", "invalid_request"},
        {"{\"where\":{\"id\":{\"$gt\":\"0; DROP TABLE products\"}}}", "invalid_request"},
        {"{\"where\":{\"price\":\"NaN\"}}", "invalid_request"},
        {"{\"where\":{\"price\":1e999999}}", "invalid_request"},
        {"{\"limit\":\"10; DROP TABLE products\"}", "invalid_request"},
        {"{\"limit\":1e3}", "invalid_request"},
        {"{\"limit\":99999999999999999999}", "invalid_request"},
        {"{\"offset\":-1}", "invalid_request"},
        {"{\"cursor\":\"' OR 1=1 --\"}", "invalid_cursor"},
        {"{\"where\":{\"name\":\"" + LONG + "\"}}", "invalid_request"},
        {"{\"cursor\":\"" + LONG + "\"}", "invalid_cursor"},
        {"{\"select\":\"name; DROP TABLE products\"}", "invalid_request"},
        {"{\"where\":\"1=1\"}", "invalid_request"},
        {"{\"where\":{\"$or\":\"1=1\"}}", "invalid_request"},
        {"{\"where\":{\"name\":[\"a\",\"b\"]}}", "invalid_request"},
        {"{\"sql\":\"DROP TABLE products\"}", "invalid_request"},
        {"{\"where\":{\"name\":\"a\",\"name\":\"b\"}}", "invalid_json"},
        {"{\"where\":{\"name\":\"a\"", "invalid_json"},
        {"{'where':{}}", "invalid_json"},
        {"[]", "invalid_request"},
        {"\"DROP TABLE products\"", "invalid_request"},
        {"{} {}", "invalid_json"},
        {"[".repeat(5_000) + "]".repeat(5_000), "invalid_request"},
        {"{\"where\":" + "{\"$not\":".repeat(40) + "{}" + "}".repeat(40) + "}", "invalid_request"},
    };
    for (String[] c : cases) {
      GatewayHarness.Reply r = query(sk, c[0]);
      assertThat(r.status()).as("%s: %s", printable(c[0]), r).isEqualTo(400);
      assertThat(r.errorCode()).as("%s", printable(c[0])).isEqualTo(c[1]);
      assertSafeMessage(r, c[0]);
    }
  }

  @Test
  void where_hugeInList_isBoundedWith400_andLargeValidListIsData() {
    ArrayNode tooMany = GatewayHarness.JSON.createArrayNode();
    for (int i = 0; i < 5_000; i++) {
      tooMany.add("v" + i + "'; DROP TABLE products; --");
    }
    ObjectNode body = GatewayHarness.JSON.createObjectNode();
    body.putObject("where").putObject("name").set("$in", tooMany);
    GatewayHarness.Reply r = query(sk, body.toString());
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("invalid_request");

    List<Object> fine = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      fine.add("v" + i + "'; DROP TABLE products; --");
    }
    fine.add(INJECTION_NAME);
    assertThat(ids(gw.client(sk).query("products", Query.where(Where.in("name", fine))).rows())).containsExactly(2L);
  }

  @Test
  void rows_neverCarryUndeclaredColumns_evenWhenNamedInTheRequest() {
    GatewayHarness.Reply r = query(sk, "{\"select\":[\"sku\"]}");
    assertThat(r.errorCode()).isEqualTo("unknown_field");
    GatewayHarness.Reply all = query(sk, "{}");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body()).doesNotContain("SKU-SECRET").doesNotContain("\"sku\"");
    all.json().path("rows").forEach(row ->
        assertThat(iterable(row.fieldNames())).containsExactly("id", "name", "category", "price"));
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static GatewayHarness.Reply query(String key, String body) {
    return gw.post("/v1/query/products", key, null, body);
  }

  /**
   * The message may name what was sent only in a short sanitized form (between single quotes, only
   * letters, digits, {@code _ $ ?}, cut with "..."), never SQL punctuation, comment markers,
   * control characters, non-ASCII or a long echo of the input.
   */
  private static void assertSafeMessage(GatewayHarness.Reply r, String input) {
    String message = r.errorMessage();
    assertThat(message).as("message of %s", r).isNotNull();
    assertThat(message.length()).as("message length: %s", message).isLessThanOrEqualTo(200);
    assertThat(message).as("message %s", message).matches("[\\x20-\\x7e]*");
    for (String bad : Set.of("--", "/*", "*/", "`", "<", "${", "%s", "1=1")) {
      assertThat(message).as("message %s for input %s", message, printable(input)).doesNotContain(bad);
    }
    java.util.regex.Matcher echoed = java.util.regex.Pattern.compile("'([^']*)'").matcher(message);
    while (echoed.find()) {
      assertThat(echoed.group(1)).as("echoed part of %s", message).matches("[A-Za-z0-9_$?]{0,64}(\\.\\.\\.)?");
    }
    if (input.length() > 64 || (input.length() > 3 && !input.matches("[A-Za-z0-9_$]*"))) {
      assertThat(message).doesNotContain(input);
    }
    assertThat(r.json().path("error").path("requestId").asText()).isEqualTo(r.requestIdHeader());
  }

  private static String encodeSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String printable(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + ")" : s;
    return cut.replace("\u0000", "\\0").replace("\n", "\\n");
  }

  private static List<Long> ids(List<Row> rows) {
    return rows.stream().map(r -> r.getLong("id")).collect(Collectors.toList());
  }
}
