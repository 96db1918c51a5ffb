package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import dev.lensgate.testkit.LogCapture;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security invariant 3 end to end: a sentinel sits in a source row and is the source's database
 * password (a dedicated PostgreSQL role). A full set of requests runs — successes, every kind of
 * client error with the sentinel as value, field, lens, cursor, key and user token, a lens that
 * misreads a column, a missing table, and a source that is down — while every log event is
 * captured with all Lensgate loggers at TRACE. Then the logs, every {@code request_log} row, every
 * other metadata table and every file under the data directory are scanned: the sentinel is in
 * none of them, and the password is in no answer either.
 */
class SentinelLeakTest {
  /** Shared by both sentinels; the random part also catches sanitized echoes ("SENTINEL?7f3a?..."). */
  private static final String MARK = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final String ROW_SENTINEL = "SENTINEL-7f3a-row-" + MARK;
  private static final String PASSWORD_SENTINEL = "SENTINEL-7f3a-pw-" + MARK;
  /** The role name is not secret (Hikari logs it at DEBUG), so it must not carry the mark. */
  private static final String ROLE = "lg_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @TempDir Path dir;
  private TestDatabase pg;
  private GatewayHarness gw;
  private UserTokens users;
  private boolean roleCreated;

  @BeforeEach
  void setUp() throws Exception {
    pg = TestDatabase.postgres();
    pg.execute("CREATE TABLE notes (id bigint PRIMARY KEY, org_id text NOT NULL, body text NOT NULL, owner text)");
    try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?, ?, ?)")) {
      Object[][] rows = {
          {1L, "org-a", ROW_SENTINEL, "alice"},
          {2L, "org-a", "ordinary text", ROW_SENTINEL},
          {3L, "org-b", "prefix " + ROW_SENTINEL + " suffix", "bob"},
      };
      for (Object[] r : rows) {
        ps.setLong(1, (Long) r[0]);
        ps.setString(2, (String) r[1]);
        ps.setString(3, (String) r[2]);
        ps.setString(4, (String) r[3]);
        ps.executeUpdate();
      }
    }
    pg.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD_SENTINEL + "'",
        "GRANT USAGE ON SCHEMA " + pg.name() + " TO " + ROLE,
        "GRANT SELECT ON notes TO " + ROLE);
    roleCreated = true;
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    if (roleCreated) {
      pg.execute("DROP OWNED BY " + ROLE, "DROP ROLE " + ROLE);
    }
    pg.close();
  }

  private String config() {
    return "stack: lensgate/v1\n"
        + users.authYaml()
        + "sources:\n"
        + "  vault:\n    type: postgres\n"
        + "  down:\n    type: postgres\n"
        + "lenses:\n"
        + notesLens("notes", "vault", "notes", "string",
            "query: { authenticated: true, rule: \"has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false\" }")
        + notesLens("opennotes", "vault", "notes", "string", "query: public")
        + notesLens("mistyped", "vault", "notes", "timestamp", "query: public")
        + notesLens("missing", "vault", "no_such_table", "string", "query: public")
        + notesLens("downlens", "down", "notes", "string", "query: public")
        + "defaults:\n  grants: strict\n";
  }

  /** A lens over the notes columns; {@code bodyType} lets one lens misread text as a timestamp. */
  private static String notesLens(String name, String source, String table, String bodyType, String grant) {
    return "  " + name + ":\n"
        + "    source: " + source + "\n"
        + "    table: " + table + "\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: string, from: org_id }\n"
        + "      body: { type: " + bodyType + " }\n"
        + "      owner: { type: string }\n"
        + "    grants:\n"
        + "      " + grant + "\n";
  }

  @Test
  void fullRequestSet_leavesSentinelInNoLogNoRequestLogNoStoreAndNoPasswordInAnswers() throws Exception {
    List<GatewayHarness.Reply> answers = new ArrayList<>();
    List<GatewayHarness.Reply> nameEchoes = new ArrayList<>();
    List<String> lines;
    try (LogCapture logs = new LogCapture(Map.of(
        "dev.lensgate", Level.TRACE, "com.zaxxer.hikari", Level.DEBUG, "org.flywaydb", Level.DEBUG,
        "org.jooq", Level.DEBUG, "org.postgresql", Level.DEBUG, "org.eclipse.jetty", Level.INFO,
        "io.javalin", Level.DEBUG, "ROOT", Level.INFO))) {
      gw = GatewayHarness.start(dir.resolve("data"));
      users = UserTokens.create(dir.resolve("jwks.json"));
      String env = gw.defaultEnvId();
      gw.connect(env, "vault", pg.jdbcUrl(), ROLE, PASSWORD_SENTINEL);
      gw.connect(env, "down", "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2", ROLE, PASSWORD_SENTINEL);
      gw.push(env, config());
      String sk = gw.mint(KeyType.SK, env).plaintext();
      String pk = gw.mint(KeyType.PK, env).plaintext();
      String ik = gw.mint(KeyType.IK, env).plaintext();
      String rk = gw.mint(KeyType.RK, gw.orgId()).plaintext();
      String orgA = users.es256("alice", Map.of("orgId", "org-a"));
      String sentinelClaim = users.es256("mallory", Map.of("orgId", ROW_SENTINEL, "note", PASSWORD_SENTINEL));

      // Successes, some returning the row sentinel (that is data the caller may see).
      answers.add(expect(gw.post("/v1/query/opennotes", sk, null, "{}"), 200));
      answers.add(expect(gw.post("/v1/query/notes", pk, orgA, "{}"), 200));
      answers.add(expect(gw.post("/v1/query/notes", pk, sentinelClaim, "{}"), 200));
      answers.add(expect(gw.post("/v1/query/opennotes", pk, null, where("body", quoted(ROW_SENTINEL))), 200));
      answers.add(expect(gw.post("/v1/query/opennotes", pk, null,
          "{\"where\":{\"body\":{\"$like\":\"%" + ROW_SENTINEL + "%\"}},\"limit\":1}"), 200));
      GatewayHarness.Reply paged = expect(gw.post("/v1/query/opennotes", pk, null,
          "{\"orderBy\":{\"field\":\"body\",\"dir\":\"desc\"},\"limit\":1}"), 200);
      answers.add(paged);
      String cursor = paged.json().path("meta").path("nextCursor").asText();
      answers.add(expect(gw.post("/v1/query/opennotes", pk, null,
          "{\"orderBy\":{\"field\":\"body\",\"dir\":\"desc\"},\"limit\":1,\"cursor\":\"" + cursor + "\"}"), 200));

      // Client errors carrying the sentinels in every position.
      for (String s : List.of(ROW_SENTINEL, PASSWORD_SENTINEL)) {
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, where("id", quoted(s))), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, where("body", "{\"$gt\":[" + quoted(s) + "]}")), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, where(s, "1")), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, where("body", "{\"" + "$" + s + "\":1}")), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{\"orderBy\":{\"field\":" + quoted(s) + "}}"), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{\"select\":[" + quoted(s) + "]}"), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{\"cursor\":" + quoted(s) + "}"), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{\"cursor\":" + quoted(cursor + s) + "}"), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{" + quoted(s) + ":1}"), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{\"where\":{\"body\":" + quoted(s)), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null, "{\"limit\":" + quoted(s) + "}"), 400));
        answers.add(expect(gw.post("/v1/query/opennotes", s, null, "{}"), 401));
        answers.add(expect(gw.post("/v1/query/opennotes", "sk_" + s, null, "{}"), 401));
        answers.add(expect(gw.post("/v1/query/opennotes", "lp_" + s + "." + s, null, "{}"), 401));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, s, "{}"), 401));
        answers.add(expect(gw.post("/v1/query/notes", pk, null, "{}"), 401));
        answers.add(expect(gw.post("/v1/query/opennotes", rk, s, "{}"), 403));
        answers.add(expect(gw.post("/v1/query/opennotes", ik, orgA, where("body", quoted(s))), 403));
        answers.add(expect(gw.send(gw.request("/v1/" + s + "?q=" + s).header("Authorization", "Bearer " + s)
            .header("X-User-Token", s).GET().build()), 404));
        answers.add(expect(gw.post("/v1/query/opennotes", pk, null,
            "{\"where\":{\"body\":\"" + s.repeat(70_000) + "\"}}"), 413));
      }
      // A plain lens name is echoed in the 404 message: the caller's own path, so it is checked only in logs.
      nameEchoes.add(expect(gw.post("/v1/query/" + ROW_SENTINEL, pk, null, "{}"), 404));
      answers.add(expect(gw.post("/v1/query/notes", pk, users.rs256Expired(Map.of("orgId", ROW_SENTINEL)), "{}"), 401));

      // Server-side failures: a lens that misreads text as a timestamp, a missing table, a source that is down.
      answers.add(expectStatusIn(gw.post("/v1/query/mistyped", pk, null, where("owner", quoted(ROW_SENTINEL))), 500, 502));
      answers.add(expectStatusIn(gw.post("/v1/query/mistyped", sk, null, "{}"), 500, 502));
      answers.add(expect(gw.post("/v1/query/missing", pk, null, where("body", quoted(ROW_SENTINEL))), 502));
      answers.add(expect(gw.post("/v1/query/downlens", pk, null, where("body", quoted(ROW_SENTINEL))), 502));

      gw.gateway().flushRequestLog();
      lines = logs.lines();
    }

    assertThat(answers).hasSizeGreaterThan(50);
    for (GatewayHarness.Reply a : answers) {
      assertThat(a.body()).as("answer %s", a).doesNotContain(PASSWORD_SENTINEL);
      if (a.status() >= 400) {
        // A field name the client sent may come back sanitized ("SENTINEL?7f3a?..."), never verbatim.
        assertThat(a.body()).as("error answer %s", a).doesNotContain(ROW_SENTINEL).doesNotContain("SENTINEL-7f3a");
      }
    }
    assertThat(lines).as("captured log lines").isNotEmpty();
    assertThat(lines.stream().filter(l -> l.contains(MARK) || l.contains("SENTINEL")).collect(Collectors.toList()))
        .as("log lines mentioning a sentinel").isEmpty();

    List<String> requestLog = tableRows("REQUEST_LOG");
    assertThat(requestLog).as("request_log rows").hasSizeGreaterThanOrEqualTo(answers.size() + nameEchoes.size());
    assertThat(requestLog.stream().filter(r -> r.contains(MARK)).collect(Collectors.toList())).isEmpty();
    for (String table : metadataTables()) {
      assertThat(tableRows(table).stream().filter(r -> r.contains(MARK) || r.contains("SENTINEL")).collect(Collectors.toList()))
          .as("rows of metadata table %s", table).isEmpty();
    }
    gw.close();
    gw = null;
    assertThat(filesContaining(dir.resolve("data"), MARK)).as("data dir files holding the sentinel").isEmpty();
  }

  private static GatewayHarness.Reply expect(GatewayHarness.Reply r, int status) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    return r;
  }

  private static GatewayHarness.Reply expectStatusIn(GatewayHarness.Reply r, int... statuses) {
    assertThat(r.status()).as("%s", r).isIn(java.util.Arrays.stream(statuses).boxed().toArray());
    return r;
  }

  private static String where(String field, String valueJson) {
    return "{\"where\":{" + quoted(field) + ":" + valueJson + "}}";
  }

  private static String quoted(String s) {
    return GatewayHarness.JSON.getNodeFactory().textNode(s).toString();
  }

  private List<String> metadataTables() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = gw.gateway().store().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    assertThat(out).contains("REQUEST_LOG", "SOURCES", "API_KEYS");
    return out;
  }

  /** Every row of a metadata table, all columns as text. */
  private List<String> tableRows(String table) throws Exception {
    assertThat(table).matches("[A-Za-z0-9_]+");
    List<String> out = new ArrayList<>();
    try (Connection c = gw.gateway().store().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  private static List<Path> filesContaining(Path root, String needle) throws IOException {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(f -> {
        try {
          return indexOf(Files.readAllBytes(f), n) >= 0;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.toList());
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
