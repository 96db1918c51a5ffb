package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same lens over the same rows in PostgreSQL, MariaDB and H2 answers the same request with
 * the same rows, byte for byte: filters name lens fields and reach the mapped columns, rows come
 * back under lens names with the declared fields only, and an undeclared column never appears —
 * not by name, not by value. PostgreSQL is the reference; each test runs once for MariaDB and once
 * for H2.
 */
class SourceParityTest {
  private static final List<String> FIELDS = List.of("id", "name", "category", "price", "inStock", "createdOn", "updatedAt");
  private static final List<String> COLUMNS = List.of("item_id", "item_name", "cat_code", "unit_price", "in_stock",
      "created_on", "updated_at", "internal_secret");
  private static final String SECRET = "UNDECLARED-COLUMN-VALUE";
  private static final List<String> NAMES = List.of("apple", "Apple", "Äpfel", "zebra 🦓", "straße", "naïve café",
      "100% cotton", "snake_case", "mango", "Mango", "kiwi", "banana split", "O'Brien's", "quote \"q\"", "back\\slash",
      "日本語", "zzz", "aaa", "Zulu", "émile");
  private static final List<String> CATEGORIES = java.util.Arrays.asList("tools", "toys", null, "Tools", "garden");

  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static final Map<TestDatabase.Kind, TestDatabase> DBS = new EnumMap<>(TestDatabase.Kind.class);
  private static String sk;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayHarness.start(dir.resolve("data"));
    String env = gw.defaultEnvId();
    StringBuilder lenses = new StringBuilder();
    StringBuilder sources = new StringBuilder();
    for (TestDatabase.Kind kind : TestDatabase.Kind.values()) {
      TestDatabase db = TestDatabase.of(kind);
      DBS.put(kind, db);
      createAndFill(db);
      String source = sourceName(kind);
      gw.connect(env, source, db);
      sources.append("  ").append(source).append(":\n    type: ").append(sourceType(kind)).append('\n');
      lenses.append(lens(lensName(kind), source));
    }
    gw.push(env, "stack: lensgate/v1\nsources:\n" + sources + "lenses:\n" + lenses + "defaults:\n  grants: strict\n");
    sk = gw.mint(KeyType.SK, env).plaintext();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    DBS.values().forEach(TestDatabase::close);
  }

  private static String sourceName(TestDatabase.Kind kind) {
    return "src_" + kind.name().toLowerCase();
  }

  private static String lensName(TestDatabase.Kind kind) {
    return "items_" + kind.name().toLowerCase();
  }

  private static String sourceType(TestDatabase.Kind kind) {
    switch (kind) {
      case POSTGRES: return "postgres";
      case MARIADB: return "mariadb";
      default: return "h2";
    }
  }

  private static String lens(String name, String source) {
    return "  " + name + ":\n"
        + "    source: " + source + "\n"
        + "    table: catalog_items\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer, from: item_id }\n"
        + "      name: { type: string, from: item_name }\n"
        + "      category: { type: string, from: cat_code }\n"
        + "      price: { type: number, from: unit_price }\n"
        + "      inStock: { type: boolean, from: in_stock }\n"
        + "      createdOn: { type: date, from: created_on }\n"
        + "      updatedAt: { type: timestamp, from: updated_at }\n"
        + "    grants:\n"
        + "      query: public\n";
  }

  /** One table, three dialects; H2 gets quoted lower-case names because jOOQ quotes identifiers. */
  private static void createAndFill(TestDatabase db) throws Exception {
    String q = db.kind() == TestDatabase.Kind.H2 ? "\"" : "";
    String ts = db.kind() == TestDatabase.Kind.MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
    List<String> cols = new ArrayList<>();
    for (String c : COLUMNS) {
      cols.add(q + c + q);
    }
    db.execute("CREATE TABLE " + q + "catalog_items" + q + " (" + cols.get(0) + " BIGINT PRIMARY KEY, "
        + cols.get(1) + " VARCHAR(100) NOT NULL, " + cols.get(2) + " VARCHAR(20), " + cols.get(3) + " NUMERIC(10,2), "
        + cols.get(4) + " BOOLEAN, " + cols.get(5) + " DATE, " + cols.get(6) + " " + ts + ", "
        + cols.get(7) + " VARCHAR(100))");
    Random random = new Random(42);
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + "catalog_items" + q + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (long id = 1; id <= 80; id++) {
        ps.setLong(1, id * 3);
        ps.setString(2, NAMES.get(random.nextInt(NAMES.size())) + (random.nextInt(3) == 0 ? " " + id : ""));
        String cat = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        if (cat == null) {
          ps.setNull(3, Types.VARCHAR);
        } else {
          ps.setString(3, cat);
        }
        if (random.nextInt(10) == 0) {
          ps.setNull(4, Types.NUMERIC);
        } else {
          ps.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(120) * 50L + (random.nextBoolean() ? 0 : 5), 2));
        }
        int stock = random.nextInt(3);
        if (stock == 2) {
          ps.setNull(5, Types.BOOLEAN);
        } else {
          ps.setBoolean(5, stock == 1);
        }
        ps.setObject(6, LocalDate.of(2024, 1, 1).plusDays(random.nextInt(200)));
        ps.setObject(7, LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(random.nextInt(20_000_000))
            .plusNanos(random.nextInt(1_000_000) * 1_000L));
        ps.setString(8, SECRET + "-" + id);
        ps.executeUpdate();
      }
    }
  }

  private static final List<String> REQUESTS = List.of(
      "{}",
      "{\"limit\":1000}",
      "{\"where\":{\"name\":{\"$ilike\":\"a%\"}}}",
      "{\"where\":{\"name\":{\"$ilike\":\"ÄP%\"}}}",
      "{\"where\":{\"name\":{\"$like\":\"%e%\"}},\"orderBy\":{\"field\":\"name\",\"dir\":\"desc\"}}",
      "{\"where\":{\"name\":{\"$contains\":\"%\"}}}",
      "{\"where\":{\"name\":{\"$contains\":\"_\"}}}",
      "{\"where\":{\"name\":{\"$contains\":\"'\"}}}",
      "{\"where\":{\"name\":{\"$contains\":\"\\\\\"}}}",
      "{\"where\":{\"name\":\"apple\"}}",
      "{\"where\":{\"name\":{\"$in\":[\"Mango\",\"日本語\",\"zebra 🦓\"]}}}",
      "{\"where\":{\"category\":{\"$in\":[\"tools\",\"toys\"]}}}",
      "{\"where\":{\"category\":\"tools\"}}",
      "{\"where\":{\"category\":null}}",
      "{\"where\":{\"category\":{\"$in\":[\"garden\",null]}}}",
      "{\"where\":{\"category\":{\"$nin\":[\"tools\"]}}}",
      "{\"where\":{\"category\":{\"$exists\":true},\"price\":{\"$gte\":10,\"$lt\":40}}}",
      "{\"where\":{\"price\":{\"$nin\":[10,20.5]}},\"orderBy\":{\"field\":\"price\",\"dir\":\"desc\"}}",
      "{\"where\":{\"price\":{\"$gt\":25.55}}}",
      "{\"where\":{\"inStock\":true},\"orderBy\":[{\"field\":\"price\",\"dir\":\"desc\"},{\"field\":\"name\"}]}",
      "{\"where\":{\"inStock\":{\"$ne\":true}}}",
      "{\"where\":{\"inStock\":{\"$exists\":false}}}",
      "{\"where\":{\"createdOn\":{\"$gte\":\"2024-03-01\",\"$lt\":\"2024-05-01\"}}}",
      "{\"where\":{\"updatedAt\":{\"$lt\":\"2024-04-01T00:00:00Z\"}},\"orderBy\":{\"field\":\"updatedAt\"}}",
      "{\"where\":{\"$or\":[{\"name\":{\"$startsWith\":\"Ä\"}},{\"name\":{\"$endsWith\":\"é\"}},{\"name\":{\"$startsWith\":\"z\"}}]}}",
      "{\"where\":{\"$not\":{\"category\":\"tools\"}}}",
      "{\"where\":{\"$and\":[{\"id\":{\"$gt\":30}},{\"$not\":{\"id\":{\"$in\":[33,36,39]}}}]}}",
      "{\"where\":{\"name\":{\"$gt\":\"m\"}},\"orderBy\":{\"field\":\"name\"}}",
      "{\"where\":{\"name\":{\"$lte\":\"Z\"}},\"orderBy\":{\"field\":\"name\",\"dir\":\"desc\"}}",
      "{\"select\":[\"name\",\"price\"],\"orderBy\":{\"field\":\"price\"},\"limit\":10,\"offset\":5}",
      "{\"select\":[\"updatedAt\",\"createdOn\",\"inStock\"],\"orderBy\":{\"field\":\"updatedAt\",\"dir\":\"desc\"},\"limit\":5}",
      "{\"orderBy\":{\"field\":\"category\"},\"limit\":50}",
      "{\"orderBy\":[{\"field\":\"category\",\"dir\":\"desc\"},{\"field\":\"price\"}],\"limit\":50}",
      "{\"orderBy\":{\"field\":\"inStock\"},\"offset\":70}");

  @ParameterizedTest(name = "{0} vs POSTGRES")
  @EnumSource(value = TestDatabase.Kind.class, names = {"MARIADB", "H2"})
  void query_sameLensAndRequest_returnsTheSameRowsAsPostgres(TestDatabase.Kind kind) {
    int compared = 0;
    for (String body : REQUESTS) {
      GatewayHarness.Reply reference = gw.post("/v1/query/" + lensName(TestDatabase.Kind.POSTGRES), sk, null, body);
      GatewayHarness.Reply other = gw.post("/v1/query/" + lensName(kind), sk, null, body);
      assertThat(reference.status()).as("postgres, %s: %s", body, reference).isEqualTo(200);
      assertThat(other.status()).as("%s, %s: %s", kind, body, other).isEqualTo(200);
      assertThat(other.json().path("rows")).as("%s rows for %s", kind, body).isEqualTo(reference.json().path("rows"));
      assertThat(other.json().path("meta").path("count")).isEqualTo(reference.json().path("meta").path("count"));
      assertThat(other.json().path("meta").has("nextCursor")).isEqualTo(reference.json().path("meta").has("nextCursor"));
      checkDeclaredOnly(other, body);
      checkDeclaredOnly(reference, body);
      compared += other.json().path("rows").size();
    }
    // The requests must select something, or equality proves nothing.
    assertThat(compared).isGreaterThan(500);
  }

  @ParameterizedTest(name = "{0} vs POSTGRES")
  @EnumSource(value = TestDatabase.Kind.class, names = {"MARIADB", "H2"})
  void cursorWalk_everyOrdering_visitsTheSameRowsInTheSameOrderAsPostgres(TestDatabase.Kind kind) {
    for (String order : List.of("{\"field\":\"category\"}", "[{\"field\":\"price\",\"dir\":\"desc\"}]",
        "[{\"field\":\"name\"},{\"field\":\"category\",\"dir\":\"desc\"}]", "{\"field\":\"updatedAt\",\"dir\":\"desc\"}",
        "{\"field\":\"createdOn\"}", "{\"field\":\"inStock\",\"dir\":\"desc\"}")) {
      List<JsonNode> reference = walk(TestDatabase.Kind.POSTGRES, order);
      List<JsonNode> other = walk(kind, order);
      assertThat(reference).as("walk %s", order).hasSize(80);
      assertThat(other).as("%s walk %s", kind, order).isEqualTo(reference);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestDatabase.Kind.class)
  void columnNames_areNotFieldNames_inWhereOrderByOrSelect(TestDatabase.Kind kind) {
    for (String column : COLUMNS) {
      for (String body : List.of("{\"where\":{\"" + column + "\":1}}", "{\"orderBy\":{\"field\":\"" + column + "\"}}",
          "{\"select\":[\"" + column + "\"]}")) {
        GatewayHarness.Reply r = gw.post("/v1/query/" + lensName(kind), sk, null, body);
        assertThat(r.status()).as("%s %s: %s", kind, body, r).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("unknown_field");
      }
    }
  }

  private static List<JsonNode> walk(TestDatabase.Kind kind, String orderBy) {
    List<JsonNode> rows = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 30; page++) {
      String body = "{\"orderBy\":" + orderBy + ",\"limit\":7" + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}";
      GatewayHarness.Reply r = gw.post("/v1/query/" + lensName(kind), sk, null, body);
      assertThat(r.status()).as("%s %s: %s", kind, body, r).isEqualTo(200);
      r.json().path("rows").forEach(rows::add);
      JsonNode next = r.json().path("meta").path("nextCursor");
      if (!next.isTextual()) {
        return rows;
      }
      cursor = next.asText();
    }
    throw new AssertionError("walk did not end: " + kind + " " + orderBy);
  }

  /** Rows carry lens field names only (all of them unless select says otherwise), never a column or its value. */
  private static void checkDeclaredOnly(GatewayHarness.Reply r, String body) {
    assertThat(r.body()).doesNotContain(SECRET);
    JsonNode select = GatewayHarness.JSON.valueToTree(parse(body)).path("select");
    List<String> want = new ArrayList<>();
    if (select.isArray()) {
      select.forEach(s -> want.add(s.asText()));
    } else {
      want.addAll(FIELDS);
    }
    for (JsonNode row : r.json().path("rows")) {
      List<String> names = new ArrayList<>();
      row.fieldNames().forEachRemaining(names::add);
      assertThat(names).as("fields of a row for %s", body).containsExactlyInAnyOrderElementsOf(want);
      assertThat(names).doesNotContainAnyElementsOf(COLUMNS);
    }
  }

  private static ObjectNode parse(String body) {
    try {
      return (ObjectNode) GatewayHarness.JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
