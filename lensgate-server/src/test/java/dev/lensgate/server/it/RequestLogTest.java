package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit step: every request — served, refused or unrouted — writes exactly one
 * {@code request_log} row with the request id the client saw in {@code X-Request-Id}, the
 * environment and key id when the key was valid, the route template (never the concrete path),
 * the status and a duration; and nothing of the body, the query string or header values.
 */
class RequestLogTest {
  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static TestDatabase db;
  private static String envId;
  private static GatewayHarness.Key pk;

  @BeforeAll
  static void start() {
    db = TestDatabase.h2();
    db.execute("CREATE TABLE \"ledger\" (\"id\" BIGINT PRIMARY KEY, \"memo\" VARCHAR(100))",
        "INSERT INTO \"ledger\" VALUES (1, 'first'), (2, 'second')");
    gw = GatewayHarness.start(dir.resolve("data"));
    envId = gw.defaultEnvId();
    gw.connect(envId, "books", db);
    gw.push(envId, "stack: lensgate/v1\n"
        + "sources:\n  books:\n    type: h2\n"
        + "lenses:\n"
        + "  ledger:\n"
        + "    source: books\n"
        + "    table: ledger\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      memo: { type: string }\n"
        + "    grants:\n"
        + "      query: public\n"
        + "defaults:\n  grants: strict\n");
    pk = gw.mint(KeyType.PK, envId);
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

  /** One request_log row. */
  record LogRow(String requestId, String envId, String keyId, String route, int status, long durationMs, Instant created) {}

  @Test
  void query_withRequestIdHeader_writesOneRowWithThatIdEnvKeyRouteStatusAndDuration() {
    String id = "it-log-" + UUID.randomUUID();
    Instant before = Instant.now();
    long started = System.nanoTime();
    GatewayHarness.Reply r = gw.send(gw.request("/v1/query/ledger").header("Authorization", "Bearer " + pk.plaintext())
        .header("X-Request-Id", id).POST(HttpRequest.BodyPublishers.ofString("{\"where\":{\"memo\":\"first\"}}")).build());
    long elapsedMs = (System.nanoTime() - started) / 1_000_000 + 1;
    Instant after = Instant.now();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.requestIdHeader()).isEqualTo(id);

    List<LogRow> rows = rowsFor(id);
    assertThat(rows).hasSize(1);
    LogRow row = rows.get(0);
    assertThat(row.envId()).isEqualTo(envId);
    assertThat(row.keyId()).isEqualTo(pk.id());
    assertThat(row.route()).isEqualTo("POST /v1/query/{lens}");
    assertThat(row.status()).isEqualTo(200);
    assertThat(row.durationMs()).isBetween(0L, elapsedMs);
    assertThat(row.created()).isBetween(before.minusMillis(1), after.plusMillis(1));
  }

  @Test
  void request_withoutRequestIdHeader_logsTheMintedIdTheClientWasGiven() {
    GatewayHarness.Reply r = gw.post("/v1/query/ledger", pk.plaintext(), null, "{}");
    assertThat(r.requestIdHeader()).startsWith("req_");
    assertThat(rowsFor(r.requestIdHeader())).singleElement().satisfies(row -> assertThat(row.status()).isEqualTo(200));
  }

  @Test
  void request_withUnsafeRequestIdHeader_isLoggedUnderAFreshIdNotTheSuppliedOne() {
    String unsafe = "it-log-" + UUID.randomUUID() + "';--";
    GatewayHarness.Reply r = gw.send(gw.request("/v1/query/ledger").header("Authorization", "Bearer " + pk.plaintext())
        .header("X-Request-Id", unsafe).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(r.requestIdHeader()).isNotEqualTo(unsafe).startsWith("req_");
    assertThat(rowsFor(r.requestIdHeader())).hasSize(1);
    assertThat(rowsFor(unsafe)).isEmpty();
  }

  @Test
  void refusedRequests_areLoggedWithTheirStatus_andKeyOnlyWhenItWasValid() {
    GatewayHarness.Reply notFound = gw.post("/v1/query/nosuchlens", pk.plaintext(), null, "{}");
    GatewayHarness.Reply badJson = gw.post("/v1/query/ledger", pk.plaintext(), null, "{nope");
    GatewayHarness.Reply noKey = gw.post("/v1/query/ledger", null, null, "{}");
    GatewayHarness.Reply badKey = gw.post("/v1/query/ledger", "pk_garbage", null, "{}");
    GatewayHarness.Reply noRoute = gw.get("/v1/no/such/route");
    GatewayHarness.Reply health = gw.get("/v1/health");

    assertRow(notFound, 404, envId, pk.id(), "POST /v1/query/{lens}");
    assertRow(badJson, 400, envId, pk.id(), "POST /v1/query/{lens}");
    assertRow(noKey, 401, null, null, "POST /v1/query/{lens}");
    assertRow(badKey, 401, null, null, "POST /v1/query/{lens}");
    assertRow(health, 200, null, null, "GET /v1/health");
    LogRow unrouted = rowsFor(noRoute.requestIdHeader()).get(0);
    assertThat(unrouted.status()).isEqualTo(404);
    assertThat(unrouted.route()).doesNotContain("/no/such/route");
  }

  @Test
  void manyRequests_eachWriteExactlyOneRow() throws Exception {
    int before = countAll();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = "it-many-" + i + "-" + UUID.randomUUID();
      ids.add(id);
      String key = i % 3 == 0 ? null : pk.plaintext();
      String lens = i % 5 == 0 ? "nosuchlens" : "ledger";
      HttpRequest.Builder b = gw.request("/v1/query/" + lens).header("X-Request-Id", id)
          .POST(HttpRequest.BodyPublishers.ofString(i % 7 == 0 ? "[" : "{}"));
      if (key != null) {
        b.header("Authorization", "Bearer " + key);
      }
      gw.send(b.build());
    }
    for (String id : ids) {
      assertThat(rowsFor(id)).as(id).hasSize(1);
    }
    assertThat(countAll() - before).isEqualTo(ids.size());
  }

  @Test
  void rows_neverHoldBodyQueryStringHeaderValuesOrConcreteLensNames() throws Exception {
    String marker = "MARKER" + UUID.randomUUID().toString().replace("-", "");
    String id = "it-marker-" + UUID.randomUUID();
    gw.send(gw.request("/v1/query/ledger?debug=" + marker).header("Authorization", "Bearer " + pk.plaintext())
        .header("X-Request-Id", id).header("X-User-Token", marker).header("User-Agent", marker)
        .POST(HttpRequest.BodyPublishers.ofString("{\"where\":{\"memo\":\"" + marker + "\"}}")).build());
    gw.post("/v1/query/" + marker, pk.plaintext(), null, "{\"where\":{\"" + marker + "\":1}}");
    gw.post("/v1/query/ledger", marker, marker, "{\"cursor\":\"" + marker + "\"}");
    gw.get("/v1/" + marker + "?q=" + marker);

    assertThat(rowsFor(id)).singleElement().satisfies(row -> assertThat(row.route()).isEqualTo("POST /v1/query/{lens}"));
    List<String> everything = allRowsAsText();
    assertThat(everything).isNotEmpty();
    assertThat(everything).noneMatch(r -> r.contains(marker));
    assertThat(everything).noneMatch(r -> r.contains("ledger"));
  }

  private static void assertRow(GatewayHarness.Reply reply, int status, String env, String keyId, String route) {
    List<LogRow> rows = rowsFor(reply.requestIdHeader());
    assertThat(rows).as("rows for %s", reply).hasSize(1);
    LogRow row = rows.get(0);
    assertThat(reply.status()).isEqualTo(status);
    assertThat(row.status()).isEqualTo(status);
    assertThat(row.envId()).isEqualTo(env);
    assertThat(row.keyId()).isEqualTo(keyId);
    assertThat(row.route()).isEqualTo(route);
    assertThat(row.durationMs()).isNotNegative();
  }

  private static List<LogRow> rowsFor(String requestId) {
    gw.gateway().flushRequestLog();
    List<LogRow> out = new ArrayList<>();
    try (Connection c = gw.gateway().store().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT request_id, env_id, key_id, route_template, status, duration_ms,"
            + " created_at FROM request_log WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LogRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
              rs.getLong(6), rs.getObject(7, OffsetDateTime.class).toInstant()));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static int countAll() throws Exception {
    gw.gateway().flushRequestLog();
    try (Connection c = gw.gateway().store().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM request_log")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<String> allRowsAsText() throws Exception {
    gw.gateway().flushRequestLog();
    List<String> out = new ArrayList<>();
    try (Connection c = gw.gateway().store().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM request_log")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(rs.getString(i)).append('|');
        }
        out.add(b.toString());
      }
    }
    return out;
  }
}
