package dev.lensgate.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.client.Direction;
import dev.lensgate.client.InvalidRequestException;
import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.PermissionDeniedException;
import dev.lensgate.client.Query;
import dev.lensgate.client.QueryResult;
import dev.lensgate.client.Row;
import dev.lensgate.client.Where;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security invariant 1 over HTTP: a {@code pk_}/{@code lp_} caller whose grant filters rows by
 * {@code orgId = claims.orgId} never receives a row of another organization — whatever
 * {@code where} ({@code $or}, {@code $not}, {@code $ne}, hostile values), {@code orderBy},
 * {@code select}, {@code limit}/{@code offset} it sends, and however it pages. Cursors cannot be
 * carried to another user, edited, or reused with another query.
 *
 * <p>The oracle is the table content this test inserted (checked once against an {@code sk_} read
 * of the whole table): for every answer, each row's id must belong to the caller's org and its
 * values must be the stored ones; a page set read to its end must be exactly the caller's rows
 * matching the where (evaluated in memory with the same semantics the SQL compiler promises).
 */
class RowFilterEscapeTest {
  private static final int ROWS = 500;
  private static final int MIN_REQUESTS = 2_000;
  private static final int WORKERS = 2;
  private static final long SEED = Long.getLong("lensgate.it.seed", System.nanoTime());

  @TempDir static Path dir;
  private static GatewayHarness gw;
  private static TestDatabase pg;
  private static LensSchema schema;
  private static final Map<Long, Map<String, Object>> TRUTH = new LinkedHashMap<>();
  private static final Map<String, LensgateClient> USERS = new HashMap<>();
  private static final Map<String, LensgateClient> PARTNER_USERS = new HashMap<>();
  private static String skKey;
  private static UserTokens tokens;
  private static String pkKey;

  @BeforeAll
  static void start() throws Exception {
    pg = TestDatabase.postgres();
    pg.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, org_id text NOT NULL, name text NOT NULL,"
        + " score integer NOT NULL, tier text, secret_note text)");
    Random data = new Random(SEED);
    try (Connection c = pg.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?)")) {
      for (long id = 1; id <= ROWS; id++) {
        String org = RandomReads.ORGS.get(data.nextInt(RandomReads.ORGS.size()));
        String name = RandomReads.name(data);
        long score = data.nextInt(1001);
        String tier = data.nextInt(4) == 0 ? null : RandomReads.TIERS.get(data.nextInt(3));
        ps.setLong(1, id);
        ps.setString(2, org);
        ps.setString(3, name);
        ps.setLong(4, score);
        ps.setString(5, tier);
        ps.setString(6, "never-exposed-" + id);
        ps.addBatch();
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("orgId", org);
        row.put("name", name);
        row.put("score", score);
        row.put("tier", tier);
        TRUTH.put(id, row);
      }
      ps.executeBatch();
    }

    gw = GatewayHarness.start(dir.resolve("data"));
    tokens = UserTokens.create(dir.resolve("jwks.json"));
    String env = gw.defaultEnvId();
    gw.connect(env, "crm", pg);
    String yaml = config(tokens);
    gw.push(env, yaml);
    schema = ConfigLoader.parse(yaml, "it.yaml").config().orElseThrow().lens("accounts").orElseThrow().schema();

    skKey = gw.mint(KeyType.SK, env).plaintext();
    pkKey = gw.mint(KeyType.PK, env).plaintext();
    String lpKey = gw.mint(KeyType.LP, env, "accounts:query").plaintext();
    for (String org : RandomReads.ORGS) {
      String jwt = tokens.es256("user-of-" + org, Map.of("orgId", org));
      USERS.put(org, gw.client(pkKey).withUser(jwt));
      PARTNER_USERS.put(org, gw.client(lpKey).withUser(jwt));
    }
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

  private static String config(UserTokens users) {
    return "stack: lensgate/v1\n"
        + users.authYaml()
        + "sources:\n  crm:\n    type: postgres\n"
        + "lenses:\n"
        + "  accounts:\n"
        + "    source: crm\n"
        + "    table: accounts\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: string, from: org_id }\n"
        + "      name: { type: string }\n"
        + "      score: { type: integer }\n"
        + "      tier: { type: string }\n"
        + "    grants:\n"
        + "      query:\n"
        + "        authenticated: true\n"
        + "        rule: \"has(claims.orgId) ? {'filter': {'orgId': claims.orgId}} : false\"\n"
        + "defaults:\n  grants: strict\n";
  }

  @Test
  void oracle_skReadOfWholeTable_equalsInsertedRows() {
    List<Row> all = gw.client(skKey).queryAll("accounts", Query.all().limit(1000)).collect(Collectors.toList());
    assertThat(all).hasSize(ROWS);
    for (Row r : all) {
      assertThat(normalize(r.asMap())).isEqualTo(TRUTH.get(r.getLong("id")));
    }
  }

  @Test
  void randomizedReads_neverReturnAnotherOrgsRow_andCursorsDoNotTravel() throws Exception {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<Stats>> futures = new ArrayList<>();
    try {
      for (int w = 0; w < WORKERS; w++) {
        long seed = SEED + 1 + w;
        futures.add(pool.submit(() -> randomReads(new Random(seed), MIN_REQUESTS / WORKERS)));
      }
      Stats total = new Stats();
      for (Future<Stats> f : futures) {
        try {
          total.add(f.get(2, TimeUnit.MINUTES));
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Error ? (Error) e.getCause() : new AssertionError(e.getCause());
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("RowFilterEscapeTest: %d requests (%d page walks to the end, %d cursor misuses refused,"
          + " %d rows checked) in %d ms on %d threads, seed %d%n", total.requests, total.completeWalks,
          total.refusedCursors, total.rowsChecked, millis, WORKERS, SEED);
      assertThat(total.requests).isGreaterThanOrEqualTo(MIN_REQUESTS);
      assertThat(total.refusedCursors).isGreaterThan(50);
      assertThat(total.completeWalks).isGreaterThan(50);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Stats randomReads(Random random, int requests) {
    RandomReads gen = new RandomReads(random);
    Stats stats = new Stats();
    while (stats.requests < requests) {
      String org = gen.pick(RandomReads.ORGS);
      LensgateClient user = random.nextInt(4) == 0 ? PARTNER_USERS.get(org) : USERS.get(org);
      Read read = new Read(org, gen.where(org), gen.orderBy(), gen.select(), 1 + random.nextInt(60));
      String context = "seed=" + SEED + " " + read;
      Set<Long> expected = expected(org, read.where());
      if (random.nextInt(3) == 0) {
        int offset = random.nextInt(140);
        QueryResult page = call(user, read.query().offset(offset), stats, context);
        checkRows(page, read, stats, context);
        assertThat(page.rows()).as(context).hasSize(Math.min(read.limit(), Math.max(0, expected.size() - offset)));
        assertThat(ids(page)).as(context).isSubsetOf(expected);
      } else {
        walkPages(user, read, expected, random, stats, context);
      }
    }
    return stats;
  }

  /** One random read: the caller's org and the request shape. */
  private record Read(String org, Map<String, Object> where, List<Map.Entry<String, Boolean>> orderBy,
      List<String> select, int limit) {
    Query query() {
      Query q = where.isEmpty() ? Query.all() : Query.where(Where.raw(where));
      for (Map.Entry<String, Boolean> o : orderBy) {
        q = q.orderBy(o.getKey(), o.getValue() ? Direction.DESC : Direction.ASC);
      }
      if (!select.isEmpty()) {
        q = q.select(select.toArray(new String[0]));
      }
      return q.limit(limit);
    }

    Set<String> fields() {
      return new HashSet<>(select.isEmpty() ? RandomReads.FIELDS : select);
    }
  }

  /** Follows nextCursor; now and then replays a cursor as another user, edited, or with another query. */
  private static void walkPages(LensgateClient user, Read read, Set<Long> expected, Random random, Stats stats,
      String context) {
    Set<Long> seen = new HashSet<>();
    int rows = 0;
    Query current = read.query();
    for (int page = 0; page < 8; page++) {
      QueryResult result = call(user, current, stats, context);
      checkRows(result, read, stats, context);
      rows += result.rows().size();
      for (Long id : ids(result)) {
        assertThat(seen.add(id)).as("row %d twice while paging: %s", id, context).isTrue();
      }
      if (result.nextCursor().isEmpty()) {
        assertThat(rows).as("rows in a complete walk: %s", context).isEqualTo(expected.size());
        if (read.fields().contains("id")) {
          assertThat(seen).as("complete walk: %s", context).isEqualTo(expected);
        }
        stats.completeWalks++;
        return;
      }
      assertThat(result.rows()).as(context).hasSize(read.limit());
      String cursor = result.nextCursor().get();
      if (random.nextInt(4) == 0) {
        misuse(read, cursor, random, stats, context);
      }
      current = read.query().cursor(cursor);
    }
    assertThat(seen).as(context).isSubsetOf(expected);
  }

  private static void misuse(Read read, String cursor, Random random, Stats stats, String context) {
    LensgateClient self = USERS.get(read.org());
    LensgateClient other = USERS.get(new RandomReads(random).otherOrg(read.org()));
    expectInvalidCursor(other, read.query().cursor(cursor), stats, "foreign user, " + context);
    expectInvalidCursor(self, read.query().cursor(edit(cursor, random)), stats, "edited, " + context);
    expectInvalidCursor(self, read.query().and(Where.gte("score", 0)).cursor(cursor), stats, "other where, " + context);
    String unordered = RandomReads.FIELDS.stream()
        .filter(f -> read.orderBy().stream().noneMatch(o -> o.getKey().equals(f))).findFirst().orElseThrow();
    expectInvalidCursor(self, read.query().orderBy(unordered, Direction.DESC).cursor(cursor), stats,
        "other order, " + context);
  }

  private static void expectInvalidCursor(LensgateClient client, Query q, Stats stats, String context) {
    stats.requests++;
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> client.query("accounts", q));
    assertThat(e).as("must be refused: %s", context).isNotNull();
    assertThat(e.code()).as(context).isEqualTo("invalid_cursor");
    stats.refusedCursors++;
  }

  /** One character replaced by another character of the cursor's base64url alphabet. */
  private static String edit(String cursor, Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int i = random.nextInt(cursor.length());
    char c = cursor.charAt(i);
    char r;
    do {
      r = alphabet.charAt(random.nextInt(alphabet.length()));
    } while (r == c);
    return cursor.substring(0, i) + r + cursor.substring(i + 1);
  }

  private static QueryResult call(LensgateClient user, Query q, Stats stats, String context) {
    stats.requests++;
    try {
      return user.query("accounts", q);
    } catch (RuntimeException e) {
      throw new AssertionError("request failed: " + e + " — " + context, e);
    }
  }

  /** Every row: the caller's org per the oracle, the stored values, only the selected declared fields. */
  private static void checkRows(QueryResult page, Read read, Stats stats, String context) {
    for (Row row : page.rows()) {
      stats.rowsChecked++;
      assertThat(row.fieldNames()).as(context).isEqualTo(read.fields());
      if (row.has("orgId")) {
        assertThat(row.getString("orgId")).as(context).isEqualTo(read.org());
      }
      if (!row.has("id")) {
        // Without the id the row cannot be looked up; the page-size checks still bound what it can be.
        continue;
      }
      long id = row.getLong("id");
      Map<String, Object> truth = TRUTH.get(id);
      assertThat(truth).as("unknown id %d: %s", id, context).isNotNull();
      assertThat(truth.get("orgId")).as("row %d belongs to %s, caller is %s: %s", id, truth.get("orgId"), read.org(),
          context).isEqualTo(read.org());
      for (Map.Entry<String, Object> e : normalize(row.asMap()).entrySet()) {
        assertThat(e.getValue()).as("field %s of row %d: %s", e.getKey(), id, context).isEqualTo(truth.get(e.getKey()));
      }
    }
  }

  /** The caller's rows that match {@code where}, evaluated in memory. */
  private static Set<Long> expected(String org, Map<String, Object> where) {
    JsonNode node = GatewayHarness.JSON.valueToTree(where);
    Filter f = Filters.and(Filters.eq("orgId", org), WhereParser.parse(node, schema));
    Set<Long> out = new HashSet<>();
    for (Map.Entry<Long, Map<String, Object>> e : TRUTH.entrySet()) {
      if (InMemoryPredicate.test(f, e.getValue())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private static Set<Long> ids(QueryResult page) {
    Set<Long> out = new HashSet<>();
    for (Row r : page.rows()) {
      if (r.has("id")) {
        out.add(r.getLong("id"));
      }
    }
    return out;
  }

  private static Map<String, Object> normalize(Map<String, Object> row) {
    Map<String, Object> out = new HashMap<>();
    row.forEach((k, v) -> out.put(k, v instanceof Number ? (Object) ((Number) v).longValue() : v));
    return out;
  }

  @Test
  void claimValues_thatLookLikeSqlOrWildcards_matchNothing() {
    for (String hostile : List.of("org-a' OR '1'='1", "%", "org-%", "org-_", "ORG-A", " org-a", "org-a\\")) {
      String jwt = tokens.es256("hostile", Map.of("orgId", hostile));
      QueryResult r = gw.client(pkKey).withUser(jwt).query("accounts", Query.all().limit(1000));
      assertThat(r.rows()).as("claim %s", hostile).isEmpty();
    }
  }

  @Test
  void claimValue_withNul_isDeniedNotWidened() {
    assertThat(deniedCode(Map.of("orgId", "org-a\u0000"))).isEqualTo("rule_denied");
  }

  @Test
  void claimValue_thatIsAList_isDeniedNotWidened() {
    assertThat(deniedCode(Map.of("orgId", List.of("org-a", "org-b")))).isEqualTo("rule_denied");
  }

  @Test
  void claimValue_thatIsAnOperatorObject_isDeniedNotTurnedIntoAnOperator() {
    for (Map<String, Object> claim : List.<Map<String, Object>>of(Map.of("$ne", "nobody"), Map.of("$exists", true),
        Map.of("$in", RandomReads.ORGS), Map.of("$startsWith", "org-"), Map.of("$eq", "org-a", "x", "y"))) {
      assertThat(deniedCode(Map.of("orgId", claim))).as("operator-shaped claim %s", claim).isEqualTo("rule_denied");
    }
  }

  @Test
  void tokenWithoutOrgClaim_isRuleDenied() {
    assertThat(deniedCode(Map.of("plan", "pro"))).isEqualTo("rule_denied");
  }

  /** The 403 code a pk_ user with these claims gets for reading every row; fails if rows come back. */
  private static String deniedCode(Map<String, Object> claims) {
    LensgateClient user = gw.client(pkKey).withUser(tokens.es256("claims-user", claims));
    PermissionDeniedException e = catchThrowableOfType(PermissionDeniedException.class,
        () -> user.query("accounts", Query.all().limit(1000)));
    assertThat(e).as("claims %s must be refused", claims).isNotNull();
    return e.code();
  }

  /** Counters for the summary line. */
  private static final class Stats {
    int requests;
    int completeWalks;
    int refusedCursors;
    long rowsChecked;

    void add(Stats o) {
      requests += o.requests;
      completeWalks += o.completeWalks;
      refusedCursors += o.refusedCursors;
      rowsChecked += o.rowsChecked;
    }
  }
}
