package dev.lensgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.Environment;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * HTTP load harness: the same point read, once straight over JDBC and once through a real gateway,
 * in the same run on the same machine, so the ratio says what the gateway costs.
 *
 * <p>Setup: a fresh PostgreSQL schema (test kit) with {@code items(id bigint pk, org_id text, name
 * text, price numeric)} and {@code --rows} rows spread over {@value BenchConfig#ORGS} orgs; a gateway
 * on 127.0.0.1, port 0, temp data dir, rate limiting off; the {@link BenchConfig} lens, whose rule
 * filters every read to the user token's {@code orgId}; one {@code pk_} key; one ES256 user token.
 *
 * <p>Loops (each: warmup, then a measured run; bounded by time and by request count per thread):
 * <ol>
 *   <li>direct — {@code SELECT id, org_id, name, price FROM items WHERE id = ? AND org_id = ?} via
 *       HikariCP, pool size = threads;
 *   <li>gateway — {@code POST /v1/query/items {"where":{"id":<id>}}} with the key and the token,
 *       driven by {@code wrk} ({@link WrkLoad}: a separate native process, one connection per
 *       thread, {@code --threads} connections), whose own cost per request is small next to the
 *       JDK HttpClient's; the targets are checked against this loop;
 *   <li>gateway-jdk — the same requests from the JDK HttpClient over HTTP/1.1 keep-alive
 *       ({@code --jdk-loops true}, the default), for comparison with earlier runs.
 * </ol>
 * Ids are random ids of the token's organization, so every request finds exactly one row. A third
 * loop ({@code --extra-loops true}, the default) sends the same query to {@code items_public}, a
 * {@code public} grant over the same table, without a user token: the gateway minus JWT and rule;
 * a fourth (same flag) sends {@code GET /v1/health}: the HTTP stack and the client alone. Only
 * 127.0.0.1 is contacted.
 *
 * <p>Arguments: {@code --threads 4 --warmup-seconds 10 --seconds 20 --rows 100000
 * --max-requests-per-thread 2000000 --extra-loops true --wrk wrk|PATH|off --jdk-loops true --out DIR}.
 */
public final class QueryLoadBenchmark {
  private static final String DIRECT_SQL = "SELECT id, org_id, name, price FROM items WHERE id = ? AND org_id = ?";
  private static final long ORG_INDEX = 7;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private QueryLoadBenchmark() {}

  /** Parsed command line. */
  record Options(int threads, int warmupSeconds, int seconds, int rows, long maxRequestsPerThread, Path out,
      boolean extraLoops, String wrk, boolean jdkLoops) {
    static Options parse(String[] args) {
      int threads = 4;
      int warmup = 10;
      int seconds = 20;
      int rows = 100_000;
      long max = 2_000_000;
      Path out = null;
      boolean extraLoops = true;
      String wrk = "wrk";
      boolean jdkLoops = true;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--threads": threads = Integer.parseInt(v); break;
          case "--warmup-seconds": warmup = Integer.parseInt(v); break;
          case "--seconds": seconds = Integer.parseInt(v); break;
          case "--rows": rows = Integer.parseInt(v); break;
          case "--max-requests-per-thread": max = Long.parseLong(v); break;
          case "--out": out = Path.of(v); break;
          case "--extra-loops": extraLoops = Boolean.parseBoolean(v); break;
          case "--wrk": wrk = v; break;
          case "--jdk-loops": jdkLoops = Boolean.parseBoolean(v); break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (threads < 1 || threads > 16) {
        throw new IllegalArgumentException("--threads must be 1..16 (the gateway's source pool holds 16)");
      }
      if (seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600) {
        throw new IllegalArgumentException("--seconds must be 1..600 and --warmup-seconds 0..600");
      }
      if (rows < 1000 || rows % BenchConfig.ORGS != 0) {
        throw new IllegalArgumentException("--rows must be at least 1000 and a multiple of " + BenchConfig.ORGS);
      }
      if (max < 1) {
        throw new IllegalArgumentException("--max-requests-per-thread must be positive");
      }
      if ("off".equals(wrk) && !jdkLoops) {
        throw new IllegalArgumentException("--wrk off and --jdk-loops false leave no gateway loop");
      }
      return new Options(threads, warmup, seconds, rows, max, out, extraLoops, wrk, jdkLoops);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    String loadBefore = MachineLoad.average();
    log("load average before: %s", loadBefore);
    Clock clock = Clock.systemUTC();
    Path dataDir = Files.createTempDirectory("lensgate-bench-load-");
    try (TestDatabase db = TestDatabase.postgres()) {
      log("loading %,d rows into PostgreSQL schema %s", o.rows(), db.name());
      db.execute(
          "CREATE TABLE items (id bigint PRIMARY KEY, org_id text NOT NULL, name text NOT NULL, price numeric(10,2) NOT NULL)",
          "INSERT INTO items SELECT g, 'org-' || (g % " + BenchConfig.ORGS + "), 'item ' || g, (g % 10000) / 100.0"
              + " FROM generate_series(1, " + o.rows() + ") AS g",
          "ANALYZE items");

      DevIssuer issuer = DevIssuer.generate(BenchConfig.ISSUER, BenchConfig.AUDIENCE, clock);
      Path jwks = dataDir.resolve("jwks.json");
      issuer.writeJwks(jwks);
      String org = "org-" + ORG_INDEX;
      String token = issuer.mint("load-user", Map.of("orgId", org), Duration.ofHours(2));
      String yaml = BenchConfig.yaml(jwks, db.jdbcUrl(), db.name());

      GatewaySettings settings = GatewaySettings.defaults(dataDir.resolve("gateway"),
          HttpSettings.plain("127.0.0.1", 0), Map.of(), "bench").withRateLimit(0, 0);
      try (Gateway gateway = Gateway.start(settings, clock);
          HikariDataSource direct = directPool(db, o.threads())) {
        Environment env = gateway.store().defaultEnvironment();
        try (SecretBytes password = SecretBytes.fromUtf8(db.password())) {
          gateway.sources().connect(env.id(), BenchConfig.SOURCE, db.jdbcUrl(), db.user(), password);
        }
        gateway.configs().push(env.id(), yaml);
        gateway.refreshConfigs();
        CreatedKey pk = gateway.keys().create(KeyType.PK, env.id(), "load bench", Set.of());
        String authorization = "Bearer " + pk.plaintext().revealUtf8();
        URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/query/" + BenchConfig.LENS);
        URI publicUri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/query/" + BenchConfig.PUBLIC_LENS);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT).build();

        int perOrg = o.rows() / BenchConfig.ORGS;
        LoadLoop.Call directCall = random -> directRead(direct, idOfOrg(random, perOrg), org);
        LoadLoop.Call gatewayCall = random -> gatewayRead(http, uri, authorization, token, idOfOrg(random, perOrg));
        LoadLoop.Call publicCall = random -> gatewayRead(http, publicUri, authorization, null, idOfOrg(random, perOrg));
        sanityCheck(direct, http, uri, authorization, token, org);
        if (!gatewayRead(http, publicUri, authorization, null, ORG_INDEX)) {
          throw new IllegalStateException("gateway sanity read of the public lens failed");
        }

        LoadResult d = measure("direct", o, directCall);
        List<LoadResult> gatewayLoops = new ArrayList<>();
        if (!"off".equals(o.wrk())) {
          WrkLoad wrk = WrkLoad.prepare(o.wrk(), dataDir, Optional.ofNullable(o.out()));
          WrkLoad.Target items = new WrkLoad.Target(gateway.port(), uri.getPath(), authorization, Optional.of(token),
              ORG_INDEX, BenchConfig.ORGS, perOrg);
          gatewayLoops.add(measureWrk(wrk, "gateway-wrk", o, items));
          if (o.extraLoops()) {
            WrkLoad.Target open = new WrkLoad.Target(gateway.port(), publicUri.getPath(), authorization,
                Optional.empty(), ORG_INDEX, BenchConfig.ORGS, perOrg);
            gatewayLoops.add(measureWrk(wrk, "public-wrk", o, open));
          }
        }
        if (o.jdkLoops()) {
          gatewayLoops.add(measure("gateway-jdk", o, gatewayCall));
          if (o.extraLoops()) {
            gatewayLoops.add(measure("public-jdk", o, publicCall));
            URI healthUri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/health");
            LoadLoop.Call healthCall = random -> http.send(
                HttpRequest.newBuilder(healthUri).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            gatewayLoops.add(measure("health-jdk", o, healthCall));
          }
        }
        report(o, loadBefore, d, gatewayLoops);
      }
    } finally {
      AuthorizeFixture.deleteTree(dataDir);
    }
  }

  /** A random id whose row belongs to the token's organization. */
  private static long idOfOrg(SplittableRandom random, int perOrg) {
    return ORG_INDEX + (long) BenchConfig.ORGS * random.nextInt(perOrg);
  }

  private static HikariDataSource directPool(TestDatabase db, int threads) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("bench-direct");
    hc.setJdbcUrl(db.jdbcUrl());
    hc.setUsername(db.user());
    hc.setPassword(db.password());
    hc.setMaximumPoolSize(threads);
    hc.setReadOnly(true);
    hc.setAutoCommit(true);
    return new HikariDataSource(hc);
  }

  private static boolean directRead(HikariDataSource pool, long id, String org) throws Exception {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(DIRECT_SQL)) {
      ps.setQueryTimeout((int) REQUEST_TIMEOUT.toSeconds());
      ps.setLong(1, id);
      ps.setString(2, org);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        boolean right = rs.getLong(1) == id && org.equals(rs.getString(2)) && rs.getString(3) != null
            && rs.getBigDecimal(4) != null;
        return right && !rs.next();
      }
    }
  }

  private static HttpResponse<String> gatewayPost(HttpClient http, URI uri, String authorization, String token, long id)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"where\":{\"id\":" + id + "}}"));
    if (token != null) {
      request.header("X-User-Token", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean gatewayRead(HttpClient http, URI uri, String authorization, String token, long id)
      throws IOException, InterruptedException {
    HttpResponse<String> r = gatewayPost(http, uri, authorization, token, id);
    return r.statusCode() == 200 && r.body().contains("\"count\":1");
  }

  /** Both paths must return the org's row and nothing of another org, or the numbers mean nothing. */
  private static void sanityCheck(HikariDataSource direct, HttpClient http, URI uri, String authorization, String token,
      String org) throws Exception {
    long mine = ORG_INDEX + BenchConfig.ORGS;
    long other = ORG_INDEX + 1;
    HttpResponse<String> ok = gatewayPost(http, uri, authorization, token, mine);
    if (ok.statusCode() != 200 || !ok.body().contains("\"count\":1") || !ok.body().contains("\"orgId\":\"" + org + "\"")) {
      throw new IllegalStateException("gateway sanity read failed: HTTP " + ok.statusCode() + " " + ok.body());
    }
    HttpResponse<String> filtered = gatewayPost(http, uri, authorization, token, other);
    if (filtered.statusCode() != 200 || !filtered.body().contains("\"count\":0")) {
      throw new IllegalStateException("gateway returned another org's row: HTTP " + filtered.statusCode());
    }
    if (!directRead(direct, mine, org) || directRead(direct, other, org)) {
      throw new IllegalStateException("direct sanity read failed");
    }
  }

  private static LoadResult measure(String name, Options o, LoadLoop.Call call) throws InterruptedException {
    if (o.warmupSeconds() > 0) {
      log("%s: load average %s; warmup %d s, %d threads", name, MachineLoad.average(), o.warmupSeconds(), o.threads());
      LoadLoop.run(name, o.threads(), Duration.ofSeconds(o.warmupSeconds()), o.maxRequestsPerThread(), call);
    }
    log("%s: measuring %d s", name, o.seconds());
    LoadResult r = LoadLoop.run(name, o.threads(), Duration.ofSeconds(o.seconds()), o.maxRequestsPerThread(), call);
    log("%s: %s", name, line(r));
    return r;
  }

  private static LoadResult measureWrk(WrkLoad wrk, String name, Options o, WrkLoad.Target target)
      throws IOException, InterruptedException {
    if (o.warmupSeconds() > 0) {
      log("%s: load average %s; warmup %d s, %d connections", name, MachineLoad.average(), o.warmupSeconds(), o.threads());
      wrk.run(name + "-warmup", target, o.threads(), Duration.ofSeconds(o.warmupSeconds()));
    }
    log("%s: measuring %d s", name, o.seconds());
    LoadResult r = wrk.run(name, target, o.threads(), Duration.ofSeconds(o.seconds()));
    log("%s: %s", name, line(r));
    return r;
  }

  /**
   * The first gateway loop is the one the targets are checked against: wrk's when it ran (its client
   * costs little), else the JDK client's.
   */
  private static void report(Options o, String loadBefore, LoadResult d, List<LoadResult> gatewayLoops) throws IOException {
    LoadResult g = gatewayLoops.get(0);
    double ratio = d.throughputPerSecond() == 0 ? 0 : g.throughputPerSecond() / d.throughputPerSecond();
    double addedP50Micros = LoadResult.micros(g.p50Nanos() - d.p50Nanos());
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "QueryLoadBenchmark: %d client threads/connections, %d s measured (after %d s warmup), %,d rows, %d cores, Java %s%n",
        o.threads(), o.seconds(), o.warmupSeconds(), o.rows(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version")));
    s.append(String.format(Locale.ROOT, "  %-12s %s%n", d.name(), line(d)));
    for (LoadResult r : gatewayLoops) {
      s.append(String.format(Locale.ROOT, "  %-12s %s%n", r.name(), line(r)));
    }
    s.append(String.format(Locale.ROOT, "  %s: throughput gateway/direct = %.1f %%   (target >= 50 %%: %s)%n",
        g.name(), ratio * 100, ratio >= 0.5 ? "met" : "MISSED"));
    s.append(String.format(Locale.ROOT, "  %s: added p50 = %.0f µs   (target < 1000 µs: %s)%n",
        g.name(), addedP50Micros, addedP50Micros < 1000 ? "met" : "MISSED"));
    s.append("  (-wrk: wrk, one connection per thread; -jdk: JDK HttpClient; public = lens items_public, no user token,"
        + " no rule; health = GET /v1/health)\n");
    s.append(String.format(Locale.ROOT, "  load average before: %s   at the end: %s%n", loadBefore, MachineLoad.average()));
    System.out.print(s);
    if (o.out() != null) {
      Files.createDirectories(o.out());
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("threads", o.threads()).put("seconds", o.seconds()).put("warmupSeconds", o.warmupSeconds())
          .put("rows", o.rows()).put("cores", Runtime.getRuntime().availableProcessors())
          .put("java", System.getProperty("java.version"));
      root.set(d.name(), json.valueToTree(toMap(d)));
      for (LoadResult r : gatewayLoops) {
        root.set(r.name(), json.valueToTree(toMap(r)));
      }
      root.put("loadAverageBefore", loadBefore).put("loadAverage", MachineLoad.average());
      root.put("targetLoop", g.name()).put("throughputRatio", ratio).put("addedP50Micros", addedP50Micros);
      Files.writeString(o.out().resolve("query-load.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.writeString(o.out().resolve("query-load.txt"), s.toString());
    }
  }

  private static Map<String, Object> toMap(LoadResult r) {
    return Map.of("ok", r.ok(), "failed", r.failed(), "seconds", r.seconds(),
        "throughputPerSecond", r.throughputPerSecond(), "p50Micros", LoadResult.micros(r.p50Nanos()),
        "p90Micros", LoadResult.micros(r.p90Nanos()), "p99Micros", LoadResult.micros(r.p99Nanos()),
        "maxMicros", LoadResult.micros(r.maxNanos()));
  }

  private static String line(LoadResult r) {
    return String.format(Locale.ROOT, "%,9.0f req/s   p50 %7.0f µs   p90 %7.0f µs   p99 %7.0f µs   max %8.0f µs   ok %,d failed %,d",
        r.throughputPerSecond(), LoadResult.micros(r.p50Nanos()), LoadResult.micros(r.p90Nanos()),
        LoadResult.micros(r.p99Nanos()), LoadResult.micros(r.maxNanos()), r.ok(), r.failed());
  }

  /** The OS load average: other processes on a shared 2-core machine skew every number here. */

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[load] " + format + "%n", args);
  }
}
