package dev.lensgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.Environment;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runner's cost: the same point read by primary key through the same gateway, once on a
 * source the gateway reads directly and once on a source behind ONE runner on loopback, in the
 * same run, same load; then {@code --concurrent-jobs} jobs in flight at once on that runner's
 * socket ({@link ConcurrentJobs}).
 *
 * <p>Setup: a fresh PostgreSQL schema (test kit) with {@code items(id bigint pk, org_id, name,
 * price)}; a gateway on 127.0.0.1 port 0 (temp data dir, rate limiting off); two sources on the same
 * table — {@code direct} (managed credentials, read by the gateway's own pool) and {@code edge}
 * ({@code runners: [edge-1]}, {@code credentials: runner-local}) — with lenses {@code items_direct}
 * and {@code items_runner}, both {@code query: public} so the only difference is the execute step;
 * one {@code pk_} key; the real runner in this JVM ({@link BenchRunner}: {@code RunnerConnection} +
 * {@code JobExecutor} over {@code ws://127.0.0.1}).
 *
 * <p>Load: {@code POST /v1/query/<lens> {"where":{"id":N}}}, N a random id, driven by {@code wrk}
 * ({@link WrkLoad}, {@code --connections} connections) or, with {@code --wrk off}, by JDK HttpClient
 * loops. Both loops are warmed up, then measured alternately ({@code --rounds} times each: direct,
 * runner, direct, runner...) so drift on a shared machine hits both alike.
 *
 * <p>Arguments: {@code --connections 4 --warmup-seconds 10 --seconds 20 --rounds 2 --rows 100000
 * --concurrent-jobs 1000 --wrk wrk|PATH|off --direct-loop true --out DIR}; {@code --direct-loop false} runs
 * only the runner loop (for profiling it alone).
 */
public final class RunnerLoadBenchmark {
  static final String DIRECT_LENS = "items_direct";
  static final String RUNNER_LENS = "items_runner";
  static final String RUNNER_SOURCE = "edge";
  static final String RUNNER_NAME = "edge-1";
  private static final long ORG_INDEX = 7;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private RunnerLoadBenchmark() {}

  record Options(int connections, int warmupSeconds, int seconds, int rounds, int rows, int concurrentJobs, String wrk,
      Path out, boolean directLoop) {
    static Options parse(String[] args) {
      int connections = 4;
      int warmup = 10;
      int seconds = 20;
      int rounds = 2;
      int rows = 100_000;
      int jobs = 1000;
      String wrk = "wrk";
      Path out = null;
      boolean directLoop = true;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--connections": connections = Integer.parseInt(v); break;
          case "--warmup-seconds": warmup = Integer.parseInt(v); break;
          case "--seconds": seconds = Integer.parseInt(v); break;
          case "--rounds": rounds = Integer.parseInt(v); break;
          case "--rows": rows = Integer.parseInt(v); break;
          case "--concurrent-jobs": jobs = Integer.parseInt(v); break;
          case "--wrk": wrk = v; break;
          case "--out": out = Path.of(v); break;
          case "--direct-loop": directLoop = Boolean.parseBoolean(v); break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (connections < 1 || connections > 16) {
        throw new IllegalArgumentException("--connections must be 1..16 (the source pools hold 16)");
      }
      if (seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600 || rounds < 1 || rounds > 10) {
        throw new IllegalArgumentException("--seconds 1..600, --warmup-seconds 0..600, --rounds 1..10");
      }
      if (rows < 1000 || rows % BenchConfig.ORGS != 0) {
        throw new IllegalArgumentException("--rows must be at least 1000 and a multiple of " + BenchConfig.ORGS);
      }
      if (jobs < 0 || jobs > 1024) {
        throw new IllegalArgumentException("--concurrent-jobs must be 0..1024 (the gateway's in-flight bound per socket)");
      }
      return new Options(connections, warmup, seconds, rounds, rows, jobs, wrk, out, directLoop);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    String loadBefore = MachineLoad.average();
    log("load average before: %s", loadBefore);
    Path dataDir = Files.createTempDirectory("lensgate-bench-runner-");
    try (TestDatabase db = TestDatabase.postgres()) {
      log("loading %,d rows into PostgreSQL schema %s", o.rows(), db.name());
      db.execute(
          "CREATE TABLE items (id bigint PRIMARY KEY, org_id text NOT NULL, name text NOT NULL, price numeric(10,2) NOT NULL)",
          "INSERT INTO items SELECT g, 'org-' || (g % " + BenchConfig.ORGS + "), 'item ' || g, (g % 10000) / 100.0"
              + " FROM generate_series(1, " + o.rows() + ") AS g",
          "ANALYZE items");
      GatewaySettings settings = GatewaySettings.defaults(dataDir.resolve("gateway"), HttpSettings.plain("127.0.0.1", 0),
          Map.of(RunnerSettings.MAX_IN_FLIGHT, "1024"), "bench").withRateLimit(0, 0);
      try (Gateway gateway = Gateway.start(settings, Clock.systemUTC())) {
        Environment env = gateway.store().defaultEnvironment();
        String orgId = gateway.store().defaultOrg().id();
        try (SecretBytes password = SecretBytes.fromUtf8(db.password())) {
          gateway.sources().connect(env.id(), "direct", db.jdbcUrl(), db.user(), password);
        }
        CreatedRunner edge = gateway.runners().create(orgId, RUNNER_NAME);
        gateway.configs().push(env.id(), yaml(db.jdbcUrl(), db.name()));
        gateway.refreshConfigs();
        String authorization = "Bearer " + gateway.keys().create(KeyType.PK, env.id(), "runner bench", Set.of())
            .plaintext().revealUtf8();
        Map<String, String> runnerEnv = Map.of("LENSGATE_SOURCE_EDGE_URL", db.jdbcUrl(),
            "LENSGATE_SOURCE_EDGE_USER", db.user(), "LENSGATE_SOURCE_EDGE_PASSWORD", db.password());
        try (BenchRunner runner = BenchRunner.startOnline(gateway.port(), RUNNER_NAME, edge.token().revealUtf8(), runnerEnv)) {
          log("runner %s online (in-process, ws://127.0.0.1:%d)", RUNNER_NAME, gateway.port());
          int perOrg = o.rows() / BenchConfig.ORGS;
          Loads loads = Loads.create(o, dataDir, gateway.port(), authorization, ORG_INDEX, perOrg);
          sanityCheck(gateway.port(), authorization);
          List<LoadResult> direct = new ArrayList<>();
          List<LoadResult> viaRunner = new ArrayList<>();
          Map<String, Double> cpu = new java.util.LinkedHashMap<>();
          if (o.warmupSeconds() > 0) {
            log("warmup %d s each, load average %s", o.warmupSeconds(), MachineLoad.average());
            if (o.directLoop()) {
              loads.run("direct-warmup", DIRECT_LENS, o.warmupSeconds());
            }
            loads.run("runner-warmup", RUNNER_LENS, o.warmupSeconds());
          }
          for (int round = 1; round <= o.rounds(); round++) {
            if (o.directLoop()) {
              direct.add(measure(loads, "direct-r" + round, DIRECT_LENS, o.seconds(), cpu));
            }
            viaRunner.add(measure(loads, "runner-r" + round, RUNNER_LENS, o.seconds(), cpu));
          }
          ConcurrentJobs.Result burst = null;
          if (o.concurrentJobs() > 0) {
            log("%d concurrent jobs on one runner socket, load average %s", o.concurrentJobs(), MachineLoad.average());
            burst = ConcurrentJobs.run(gateway.dispatcher(), db, orgId, env.id(), RUNNER_SOURCE, RUNNER_NAME,
                lensSchema(db.name()), o.concurrentJobs(), ORG_INDEX, BenchConfig.ORGS, perOrg);
          }
          report(o, loadBefore, direct, viaRunner, cpu, burst);
        }
      }
    } finally {
      AuthorizeFixture.deleteTree(dataDir);
    }
  }

  /** The gateway's lens over {@code items} as the runner job carries it. */
  static LensSchema lensSchema(String schema) {
    return new LensSchema(RUNNER_LENS, schema, "items", "id", List.of(new LensField("id", "id", FieldType.INTEGER),
        new LensField("orgId", "org_id", FieldType.STRING), new LensField("name", "name", FieldType.STRING),
        new LensField("price", "price", FieldType.NUMBER)));
  }

  static String yaml(String directUrl, String schema) {
    return "stack: lensgate/v1\n"
        + "sources:\n"
        + "  direct:\n    type: postgres\n    url: \"" + directUrl + "\"\n"
        + "  " + RUNNER_SOURCE + ":\n    type: postgres\n    runners: [" + RUNNER_NAME + "]\n    credentials: runner-local\n"
        + "lenses:\n" + lens(DIRECT_LENS, "direct", schema) + lens(RUNNER_LENS, RUNNER_SOURCE, schema)
        + "defaults:\n  grants: strict\n";
  }

  private static String lens(String name, String source, String schema) {
    return "  " + name + ":\n    source: " + source + "\n    table: items\n    schema: " + schema + "\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      orgId: { type: string, from: org_id }\n"
        + "      name: { type: string }\n      price: { type: number }\n"
        + "    grants:\n      query: public\n";
  }

  /** Both lenses must answer the same single row, or the comparison means nothing. */
  private static void sanityCheck(int port, String authorization) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long id = ORG_INDEX + BenchConfig.ORGS;
    String a = Loads.post(http, port, DIRECT_LENS, authorization, id).body();
    String b = Loads.post(http, port, RUNNER_LENS, authorization, id).body();
    if (!a.contains("\"count\":1") || !b.contains("\"count\":1") || !rows(a).equals(rows(b))) {
      throw new IllegalStateException("direct and runner answers differ:\n" + a + "\n" + b);
    }
  }

  private static String rows(String body) {
    int at = body.indexOf("\"rows\"");
    int end = body.indexOf(']', at);
    return at < 0 || end < 0 ? body : body.substring(at, end + 1);
  }

  /**
   * One measured loop; also records this JVM's CPU time per answered request into {@code cpu}
   * (gateway and in-process runner together; wrk and PostgreSQL are other processes). Unlike the
   * rates, it hardly depends on how busy the shared machine is.
   */
  private static LoadResult measure(Loads loads, String name, String lens, int seconds, Map<String, Double> cpu)
      throws Exception {
    log("%s: load average %s; measuring %d s", name, MachineLoad.average(), seconds);
    long cpu0 = processCpuNanos();
    LoadResult r = loads.run(name, lens, seconds);
    long cpuNanos = processCpuNanos() - cpu0;
    if (cpu0 >= 0 && r.ok() > 0) {
      cpu.put(name, cpuNanos / 1_000.0 / r.ok());
    }
    log("%s: %s   JVM CPU %.0f µs/request", name, line(r), cpu.getOrDefault(name, Double.NaN));
    return r;
  }

  /** CPU time of this process so far, or -1 where the JVM does not say. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }

  private static double meanCpu(List<LoadResult> rounds, Map<String, Double> cpu) {
    return rounds.stream().mapToDouble(r -> cpu.getOrDefault(r.name(), Double.NaN)).average().orElse(Double.NaN);
  }

  private static void report(Options o, String loadBefore, List<LoadResult> direct, List<LoadResult> runner,
      Map<String, Double> cpu, ConcurrentJobs.Result burst) throws IOException {
    Summary d = Summary.of(direct);
    Summary r = Summary.of(runner);
    double ratio = d.throughput == 0 ? 0 : r.throughput / d.throughput;
    double addedP50 = r.p50Micros - d.p50Micros;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "RunnerLoadBenchmark: %d connections (%s), %d x %d s measured per mode after %d s warmup,"
        + " %,d rows, %d cores, Java %s, runner in-process%n", o.connections(), "off".equals(o.wrk()) ? "JDK HttpClient" : "wrk",
        o.rounds(), o.seconds(), o.warmupSeconds(), o.rows(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version")));
    for (int i = 0; i < runner.size(); i++) {
      if (i < direct.size()) {
        s.append(String.format(Locale.ROOT, "  %-10s %s   JVM CPU %.0f µs/req%n", direct.get(i).name(), line(direct.get(i)),
            cpu.getOrDefault(direct.get(i).name(), Double.NaN)));
      }
      s.append(String.format(Locale.ROOT, "  %-10s %s   JVM CPU %.0f µs/req%n", runner.get(i).name(), line(runner.get(i)),
          cpu.getOrDefault(runner.get(i).name(), Double.NaN)));
    }
    s.append(String.format(Locale.ROOT, "  direct (all rounds): %,.0f req/s, p50 %.0f µs, p99 %.0f µs (mean of rounds), failed %d%n",
        d.throughput, d.p50Micros, d.p99Micros, d.failed));
    s.append(String.format(Locale.ROOT, "  runner (all rounds): %,.0f req/s, p50 %.0f µs, p99 %.0f µs (mean of rounds), failed %d%n",
        r.throughput, r.p50Micros, r.p99Micros, r.failed));
    s.append(String.format(Locale.ROOT, "  JVM CPU per request (mean of rounds): direct %.0f µs, runner %.0f µs (gateway + runner)%n",
        meanCpu(direct, cpu), meanCpu(runner, cpu)));
    s.append(String.format(Locale.ROOT, "  throughput runner/direct = %.1f %%   (target >= 70 %%: %s)%n",
        ratio * 100, ratio >= 0.7 ? "met" : "MISSED"));
    s.append(String.format(Locale.ROOT, "  added p50 = %.0f µs   (target < 1000 µs: %s)%n", addedP50, addedP50 < 1000 ? "met" : "MISSED"));
    if (burst != null) {
      s.append(String.format(Locale.ROOT, "  %d concurrent jobs on one runner socket: %d pending at once, submitted in %d ms,"
          + " all answered %d ms after the lock was released; ok %d, errors %d %s, pending after %d   (target: errors = 0: %s)%n",
          burst.jobs(), burst.peakInFlight(), burst.submitMillis(), burst.completeMillis(), burst.ok(), burst.errors(),
          burst.errorsByCode(), burst.inFlightAfter(), burst.errors() == 0 && burst.peakInFlight() == burst.jobs() ? "met" : "MISSED"));
    }
    s.append(String.format(Locale.ROOT, "  load average before: %s   at the end: %s%n", loadBefore, MachineLoad.average()));
    System.out.print(s);
    if (o.out() != null) {
      Files.createDirectories(o.out());
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("connections", o.connections()).put("seconds", o.seconds()).put("rounds", o.rounds())
          .put("rows", o.rows()).put("cores", Runtime.getRuntime().availableProcessors())
          .put("java", System.getProperty("java.version")).put("runner", "in-process");
      for (LoadResult x : direct) {
        root.set(x.name(), json.valueToTree(toMap(x)));
      }
      for (LoadResult x : runner) {
        root.set(x.name(), json.valueToTree(toMap(x)));
      }
      root.put("throughputRatio", ratio).put("addedP50Micros", addedP50)
          .put("directCpuMicrosPerRequest", meanCpu(direct, cpu)).put("runnerCpuMicrosPerRequest", meanCpu(runner, cpu));
      if (burst != null) {
        root.put("concurrentJobs", burst.jobs()).put("concurrentPeakInFlight", burst.peakInFlight())
            .put("concurrentCompleteMillis", burst.completeMillis()).put("concurrentErrors", burst.errors());
      }
      root.put("loadAverageBefore", loadBefore).put("loadAverage", MachineLoad.average());
      Files.writeString(o.out().resolve("runner-load.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.writeString(o.out().resolve("runner-load.txt"), s.toString());
    }
  }

  /** All rounds of one mode: total throughput; p50/p99 as the mean of the rounds' percentiles. */
  private static final class Summary {
    double throughput;
    double p50Micros;
    double p99Micros;
    long failed;

    static Summary of(List<LoadResult> rounds) {
      Summary s = new Summary();
      long ok = 0;
      double seconds = 0;
      for (LoadResult r : rounds) {
        ok += r.ok();
        seconds += r.seconds();
        s.failed += r.failed();
        s.p50Micros += LoadResult.micros(r.p50Nanos()) / rounds.size();
        s.p99Micros += LoadResult.micros(r.p99Nanos()) / rounds.size();
      }
      s.throughput = seconds == 0 ? 0 : ok / seconds;
      return s;
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

  static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[runner-load] " + format + "%n", args);
  }

  /** One load driver for both lenses: wrk, or JDK HttpClient loops with {@code --wrk off}. */
  private static final class Loads {
    private final Options o;
    private final Optional<WrkLoad> wrk;
    private final int port;
    private final String authorization;
    private final long orgIndex;
    private final int perOrg;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT).build();

    private Loads(Options o, Optional<WrkLoad> wrk, int port, String authorization, long orgIndex, int perOrg) {
      this.o = o;
      this.wrk = wrk;
      this.port = port;
      this.authorization = authorization;
      this.orgIndex = orgIndex;
      this.perOrg = perOrg;
    }

    static Loads create(Options o, Path workDir, int port, String authorization, long orgIndex, int perOrg)
        throws IOException {
      Optional<WrkLoad> wrk = "off".equals(o.wrk()) ? Optional.empty()
          : Optional.of(WrkLoad.prepare(o.wrk(), workDir, Optional.ofNullable(o.out())));
      return new Loads(o, wrk, port, authorization, orgIndex, perOrg);
    }

    LoadResult run(String name, String lens, int seconds) throws Exception {
      if (wrk.isPresent()) {
        WrkLoad.Target target = new WrkLoad.Target(port, "/v1/query/" + lens, authorization, Optional.empty(),
            orgIndex, BenchConfig.ORGS, perOrg);
        return wrk.get().run(name, target, o.connections(), Duration.ofSeconds(seconds));
      }
      return LoadLoop.run(name, o.connections(), Duration.ofSeconds(seconds), 2_000_000, random -> {
        HttpResponse<String> r = post(http, port, lens, authorization, orgIndex + (long) BenchConfig.ORGS * random.nextInt(perOrg));
        return r.statusCode() == 200 && r.body().contains("\"count\":1");
      });
    }

    static HttpResponse<String> post(HttpClient http, int port, String lens, String authorization, long id)
        throws IOException, InterruptedException {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/query/" + lens))
          .timeout(REQUEST_TIMEOUT).header("Authorization", authorization).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"where\":{\"id\":" + id + "}}")).build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
