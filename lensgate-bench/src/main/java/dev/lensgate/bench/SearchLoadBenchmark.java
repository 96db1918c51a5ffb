package dev.lensgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.embed.LocalMiniLmEmbedder;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Issue 4's speed figures in one JVM, one run: on {@code --rows} generated product rows in a fresh
 * PostgreSQL schema (test kit; dropped at the end),
 * <ol>
 *   <li>raw batched throughput of {@link LocalMiniLmEmbedder} (batch 32, the gateway's default; calls
 *       of 500 texts, like a sync batch) on {@code --raw-texts} of the same descriptions, right
 *       before indexing, after a warm-up call;
 *   <li>indexing throughput of a real {@link Gateway} (127.0.0.1, port 0, temp data dir, rate limit
 *       off, the config-driven local embedder): one {@code full} sync of lens {@code products}, from
 *       the request until the lens is {@code ready}; rows/s and its ratio to (1);
 *   <li>search latency over HTTP ({@code POST /v1/search/products}, JDK HttpClient, HTTP/1.1
 *       keep-alive, one request at a time after {@code --warmup} requests per mode), every request
 *       with a {@code pk_} key and an ES256 user token whose {@code orgId} drives the rule filter
 *       (1 % of the rows): keyword, hybrid and semantic, {@code limit 10}; query embedding included;
 *   <li>the raw figure of (1) once more right after indexing: on a shared machine one short raw run
 *       can land in a busy or a quiet moment, so the target is checked against the higher of the two
 *       (the conservative ratio); both ratios are printed;
 *   <li>the JVM's RSS ({@code VmRSS}) and heap after indexing (the gateway, the bench client and the
 *       shared model live in this one process).
 * </ol>
 * The raw embedder instance stays open during indexing, so the gateway reuses the already loaded
 * model (one per process) instead of paying the load inside the indexing wall time.
 *
 * <p>Arguments: {@code --rows 100000 --raw-texts 5000 --warmup 200 --keyword 3000 --hybrid 2000
 * --semantic 1000 --out DIR}.
 */
public final class SearchLoadBenchmark {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INDEX_TIMEOUT = Duration.ofMinutes(30);
  private static final int RAW_CALL = 500;
  private static final String ORG = "org-7";

  private SearchLoadBenchmark() {}

  record Options(int rows, int rawTexts, int warmup, int keyword, int hybrid, int semantic, Path out) {
    static Options parse(String[] args) {
      int rows = 100_000;
      int raw = 5_000;
      int warmup = 200;
      int keyword = 3_000;
      int hybrid = 2_000;
      int semantic = 1_000;
      Path out = null;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + args[i]);
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--rows": rows = Integer.parseInt(v); break;
          case "--raw-texts": raw = Integer.parseInt(v); break;
          case "--warmup": warmup = Integer.parseInt(v); break;
          case "--keyword": keyword = Integer.parseInt(v); break;
          case "--hybrid": hybrid = Integer.parseInt(v); break;
          case "--semantic": semantic = Integer.parseInt(v); break;
          case "--out": out = Path.of(v); break;
          default: throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (rows < 1000 || rows > 5_000_000 || raw < 100 || raw > rows || warmup < 0
          || keyword < 10 || hybrid < 10 || semantic < 10) {
        throw new IllegalArgumentException("need 1000 <= --rows <= 5,000,000, 100 <= --raw-texts <= rows,"
            + " --warmup >= 0, at least 10 samples per mode");
      }
      return new Options(rows, raw, warmup, keyword, hybrid, semantic, out);
    }
  }

  /** Query texts of the semantic recall@10 measurement ({@link KnnRecall}). */
  static final int RECALL_QUERIES = 200;

  /** One mode's sorted latencies (ns) and how many answers came back empty. */
  record ModeResult(String mode, long[] sortedNanos, int empty) {
    double p(double q) {
      return LatencySamples.percentile(sortedNanos, q) / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    String loadBefore = MachineLoad.average();
    log("load average before: %s", loadBefore);
    Clock clock = Clock.systemUTC();
    Path dataDir = Files.createTempDirectory("lensgate-bench-search-");
    try (TestDatabase db = TestDatabase.postgres()) {
      List<String> descriptions = SearchBenchData.descriptions(o.rows());
      long t0 = System.nanoTime();
      SearchBenchData.load(db, descriptions);
      log("loaded %,d rows into schema %s in %.1f s", o.rows(), db.name(), (System.nanoTime() - t0) / 1e9);

      try (LocalMiniLmEmbedder raw = new LocalMiniLmEmbedder(32, dataDir.resolve("djl"))) {
        String loadRaw = MachineLoad.average();
        double[] rawRun = rawThroughput(raw, SearchBenchData.sample(descriptions, o.rawTexts()));
        double rawRate = rawRun[0];
        log("raw embedder: %.1f texts/s, %.2f CPU ms/text (load average before %s)", rawRate, rawRun[1], loadRaw);

        DevIssuer issuer = DevIssuer.generate(BenchConfig.ISSUER, BenchConfig.AUDIENCE, clock);
        Path jwks = dataDir.resolve("jwks.json");
        issuer.writeJwks(jwks);
        String token = issuer.mint("search-user", Map.of("orgId", ORG), Duration.ofHours(2));
        GatewaySettings settings = GatewaySettings.defaults(dataDir.resolve("gateway"),
            HttpSettings.plain("127.0.0.1", 0), Map.of(), "bench").withRateLimit(0, 0);
        try (Gateway gateway = Gateway.start(settings, clock)) {
          String env = gateway.store().defaultEnvironment().id();
          try (SecretBytes password = SecretBytes.fromUtf8(db.password())) {
            gateway.sources().connect(env, BenchConfig.SOURCE, db.jdbcUrl(), db.user(), password);
          }
          gateway.configs().push(env, SearchBenchData.yaml(jwks, db.jdbcUrl(), db.name()));
          gateway.refreshConfigs();
          CreatedKey pk = gateway.keys().create(KeyType.PK, env, "search bench", Set.of());

          String loadIndex = MachineLoad.average();
          long cpu0 = processCpuNanos();
          IndexingCpu byThread = IndexingCpu.start();
          double seconds = fullSync(gateway, env, o.rows(), byThread);
          double indexCpuMsPerRow = (processCpuNanos() - cpu0) / 1e6 / o.rows();
          Map<String, Double> indexCpuByThread = byThread.msPerRow(o.rows());
          double indexEmbedMsPerRow = indexCpuByThread.get("model workers");
          log("indexing CPU ms per row by thread: %s", IndexingCpu.format(indexCpuByThread));
          double indexRate = o.rows() / seconds;
          LensIndexStatus status = gateway.indexStates().get(env, SearchBenchData.LENS).orElseThrow();
          log("indexed %,d rows in %.1f s: %.1f rows/s (gateway's own figure %d rows/s), %.2f CPU ms/row; "
              + "load average before %s", status.documents(), seconds, indexRate, status.rowsPerSecond(),
              indexCpuMsPerRow, loadIndex);
          long rssAfterIndex = rssBytes();
          long heapAfterIndex = heapUsed();
          System.gc();
          long heapAfterGc = heapUsed();
          String loadRawAfter = MachineLoad.average();
          double[] rawAfterRun = rawThroughput(raw, SearchBenchData.sample(descriptions, o.rawTexts()));
          double rawAfter = rawAfterRun[0];
          log("raw embedder after indexing: %.1f texts/s, %.2f CPU ms/text (load average before %s)", rawAfter,
              rawAfterRun[1], loadRawAfter);

          double[] recall = KnnRecall.ofBenchIndex(gateway, env, raw, RECALL_QUERIES);
          log("semantic recall@10, unfiltered, HNSW vs exact: %.4f (%d queries; %.4f with %d candidates)", recall[0],
              RECALL_QUERIES, recall[1], 2 * KnnRecall.CANDIDATES);

          Search search = new Search(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/search/" + SearchBenchData.LENS),
              "Bearer " + pk.plaintext().revealUtf8(), token);
          search.sanityCheck();
          String loadSearch = MachineLoad.average();
          Random random = new Random(7);
          ModeResult keyword = search.run("keyword", o.warmup(), o.keyword(), SearchBenchData::keywordQuery, random);
          ModeResult hybrid = search.run("hybrid", o.warmup(), o.hybrid(), SearchBenchData::keywordQuery, random);
          ModeResult semantic = search.run("semantic", o.warmup(), o.semantic(), SearchBenchData::semanticQuery, random);
          long rssEnd = rssBytes();
          report(o, new String[] {loadBefore, loadRaw, loadIndex, loadRawAfter, loadSearch, MachineLoad.average()},
              new double[] {rawRate, rawAfter}, seconds,
              indexRate, new double[] {rawRun[1], rawAfterRun[1], indexCpuMsPerRow, rawRun[2], rawAfterRun[2], indexEmbedMsPerRow}, List.of(keyword, hybrid, semantic), recall, indexCpuByThread, rssAfterIndex, heapAfterIndex, heapAfterGc, rssEnd);
        }
      }
    } finally {
      AuthorizeFixture.deleteTree(dataDir);
    }
  }

  /**
   * Texts/s over the sample in calls of {@value #RAW_CALL}, after one warm-up call (model load),
   * and the CPU ms per text meanwhile, of the process and of the model's worker threads:
   * {rate, cpuMsPerText, workerCpuMsPerText}.
   */
  private static double[] rawThroughput(LocalMiniLmEmbedder embedder, List<String> sample) {
    long w = System.nanoTime();
    embedder.embed(sample.subList(0, Math.min(64, sample.size())));
    log("raw embedder warm-up (model load + 64 texts): %d ms", (System.nanoTime() - w) / 1_000_000);
    long cpu0 = processCpuNanos();
    long embedCpu0 = embedderThreadsCpuNanos();
    long t0 = System.nanoTime();
    int vectors = 0;
    for (int from = 0; from < sample.size(); from += RAW_CALL) {
      vectors += embedder.embed(sample.subList(from, Math.min(sample.size(), from + RAW_CALL))).size();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuMs = (processCpuNanos() - cpu0) / 1e6;
    double embedCpuMs = (embedderThreadsCpuNanos() - embedCpu0) / 1e6;
    if (vectors != sample.size()) {
      throw new IllegalStateException("expected " + sample.size() + " vectors, got " + vectors);
    }
    return new double[] {vectors / seconds, cpuMs / vectors, embedCpuMs / vectors};
  }

  /** Requests a full sync as the CLI does and waits for {@code ready}; returns the wall seconds. */
  private static double fullSync(Gateway gateway, String env, int rows, IndexingCpu cpu) throws InterruptedException {
    long t0 = System.nanoTime();
    String job = gateway.syncQueue().request(env, SearchBenchData.LENS, SyncMode.FULL, SyncRequest.ORIGIN_CLI);
    long deadline = t0 + INDEX_TIMEOUT.toNanos();
    long nextLog = t0;
    long nextSample = t0;
    while (true) {
      boolean finished = gateway.syncQueue().find(job).map(j -> j.finished()).orElse(false);
      LensIndexStatus s = gateway.indexStates().get(env, SearchBenchData.LENS).orElse(null);
      if (finished && s != null && s.state() == IndexState.READY && s.documents() == rows) {
        return (System.nanoTime() - t0) / 1e9;
      }
      if (finished && s != null && s.state() != IndexState.READY) {
        throw new IllegalStateException("sync ended " + s.state() + " " + s.lastErrorCode().orElse(""));
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException("indexing did not finish within " + INDEX_TIMEOUT);
      }
      if (now >= nextSample) {
        cpu.sample(); // the index-add thread's CPU is only readable while it lives
        nextSample = now + Duration.ofSeconds(1).toNanos();
      }
      if (now >= nextLog && s != null) {
        log("indexing: %,d / %,d rows after %.0f s, load average %s", s.progressDone(), s.progressTotal(),
            (now - t0) / 1e9, MachineLoad.average());
        nextLog = now + Duration.ofSeconds(20).toNanos();
      }
      Thread.sleep(100);
    }
  }

  /** Sequential search requests over one keep-alive HTTP/1.1 connection. */
  private static final class Search {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI uri;
    private final String authorization;
    private final String token;

    Search(URI uri, String authorization, String token) {
      this.uri = uri;
      this.authorization = authorization;
      this.token = token;
    }

    HttpResponse<String> post(String mode, String query) throws IOException, InterruptedException {
      String body = json.createObjectNode().put("query", query).put("mode", mode).put("limit", 10).toString();
      return http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
          .header("Authorization", authorization).header("X-User-Token", token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Semantic and hybrid answer the full 10 rows, keyword at least one, all of the token's
     * organization, or the numbers mean nothing.
     */
    void sanityCheck() throws IOException, InterruptedException {
      for (String mode : List.of("keyword", "hybrid", "semantic")) {
        HttpResponse<String> r = post(mode, "waterproof jacket");
        if (r.statusCode() != 200) {
          throw new IllegalStateException(mode + " search failed: HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode results = json.readTree(r.body()).path("results");
        if (results.size() > 10 || results.isEmpty() || (!"keyword".equals(mode) && results.size() != 10)) {
          throw new IllegalStateException(mode + " search answered " + results.size() + " rows");
        }
        for (JsonNode hit : results) {
          if (!ORG.equals(hit.path("metadata").path("orgId").asText())) {
            throw new IllegalStateException(mode + " search returned another org's row: " + hit.path("id"));
          }
        }
      }
    }

    ModeResult run(String mode, int warmup, int samples, Function<Random, String> queries, Random random)
        throws IOException, InterruptedException {
      log("%s: %d warm-up + %d measured requests, load average %s", mode, warmup, samples, MachineLoad.average());
      for (int i = 0; i < warmup; i++) {
        post(mode, queries.apply(random));
      }
      long[] nanos = new long[samples];
      int empty = 0;
      for (int i = 0; i < samples; i++) {
        String q = queries.apply(random);
        long t = System.nanoTime();
        HttpResponse<String> r = post(mode, q);
        nanos[i] = System.nanoTime() - t;
        if (r.statusCode() != 200) {
          throw new IllegalStateException(mode + " search failed: HTTP " + r.statusCode() + " " + r.body());
        }
        if (r.body().contains("\"count\":0")) {
          empty++;
        }
      }
      java.util.Arrays.sort(nanos);
      ModeResult m = new ModeResult(mode, nanos, empty);
      log("%s: p50 %.2f ms, p99 %.2f ms", mode, m.p(0.5), m.p(0.99));
      return m;
    }
  }

  private static void report(Options o, String[] loads, double[] raw, double indexSeconds, double indexRate,
      double[] cpuMs, List<ModeResult> modes, double[] recall, Map<String, Double> cpuByThread, long rssAfterIndex, long heapAfterIndex, long heapAfterGc, long rssEnd) throws IOException {
    double rawRate = raw[0];
    double ratio = indexRate / rawRate * 100;
    double conservative = indexRate / Math.max(raw[0], raw[1]) * 100;
    double mib = 1024.0 * 1024.0;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "SearchLoadBenchmark: %,d rows, %d cores, Java %s, max heap %.0f MiB%n", o.rows(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / mib));
    s.append(String.format(Locale.ROOT, "  %-38s %12s  %s%n", "figure", "measured", "target"));
    s.append(String.format(Locale.ROOT, "  %-38s %12.1f  (baseline; %,d texts, batch 32, calls of %d)%n",
        "raw local embedder, texts/s", rawRate, o.rawTexts(), RAW_CALL));
    s.append(String.format(Locale.ROOT, "  %-38s %12.1f  (%,d rows in %.1f s)%n", "indexing (full sync), rows/s", indexRate,
        o.rows(), indexSeconds));
    s.append(String.format(Locale.ROOT, "  %-38s %11.1f%%%n", "indexing / raw before", ratio));
    s.append(String.format(Locale.ROOT, "  %-38s %12.1f  (the same texts again: how far the machine drifted)%n",
        "raw local embedder after indexing", raw[1]));
    s.append(String.format(Locale.ROOT, "  %-38s %11.1f%%  >= 80 %%: %s%n", "indexing / max(raw before, after)",
        conservative, verdict(conservative >= 80)));
    // CPU per item is far less sensitive to other processes than wall rates are: on a shared
    // machine it tells whether indexing adds work to embedding, whatever the load did meanwhile.
    double rawCpu = Math.min(cpuMs[0], cpuMs[1]);
    s.append(String.format(Locale.ROOT, "  %-38s %5.2f / %5.2f  (process CPU, before / after indexing)%n",
        "raw CPU ms per text", cpuMs[0], cpuMs[1]));
    s.append(String.format(Locale.ROOT, "  %-38s %12.2f  (process CPU over the whole full sync)%n",
        "indexing CPU ms per row", cpuMs[2]));
    s.append(String.format(Locale.ROOT, "  %-38s %11.1f%%  (min raw CPU per text / indexing CPU per row)%n",
        "indexing / raw by CPU", rawCpu / cpuMs[2] * 100));
    s.append(String.format(Locale.ROOT, "  %-38s %5.2f / %5.2f / %5.2f  (raw before / raw after / indexing)%n",
        "model worker threads CPU ms per item", cpuMs[3], cpuMs[4], cpuMs[5]));
    s.append(String.format(Locale.ROOT, "  indexing CPU ms per row by thread: %s%n", IndexingCpu.format(cpuByThread)));
    for (ModeResult m : modes) {
      String target = "keyword".equals(m.mode()) ? "p50 < 5 ms: " + verdict(m.p(0.5) < 5)
          : "hybrid".equals(m.mode()) ? "p50 < 20 ms: " + verdict(m.p(0.5) < 20) : "(none)";
      s.append(String.format(Locale.ROOT, "  %-38s %6.2f / %6.2f  %s  (%,d samples, %d empty)%n",
          m.mode() + " search p50 / p99, ms", m.p(0.5), m.p(0.99), target, m.sortedNanos().length, m.empty()));
    }
    s.append(String.format(Locale.ROOT, "  %-38s %12.4f  >= 0.95: %s  (%d queries, unfiltered, vs exact scan; %.4f with %d"
        + " candidates)%n", "semantic recall@10 (HNSW)", recall[0], verdict(recall[0] >= 0.95), RECALL_QUERIES, recall[1],
        2 * KnnRecall.CANDIDATES));
    s.append(String.format(Locale.ROOT, "  %-38s %9.0f MiB  < 1024 MiB: %s%n", "RSS after indexing", rssAfterIndex / mib,
        verdict(rssAfterIndex < 1024 * 1024 * 1024L)));
    s.append(String.format(Locale.ROOT, "  %-38s %9.0f MiB  (after System.gc(): %.0f MiB)%n", "heap used after indexing",
        heapAfterIndex / mib, heapAfterGc / mib));
    s.append(String.format(Locale.ROOT, "  %-38s %9.0f MiB%n", "RSS after the search runs", rssEnd / mib));
    s.append(String.format(Locale.ROOT, "  load average: start %s | raw %s | indexing %s | raw after %s | search %s | end %s%n",
        (Object[]) loads));
    System.out.print(s);
    if (o.out() != null) {
      Files.createDirectories(o.out());
      Files.writeString(o.out().resolve("search-load.txt"), s.toString());
    }
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  /** VmRSS of this process from /proc/self/status, in bytes (-1 where there is no /proc). */
  private static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /** CPU time of this whole process (all threads), or -1 where the JVM does not tell. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
  }

  /**
   * CPU time of the local model's worker threads ({@code lensgate-minilm-*}, where ONNX runs; the
   * tokenizer runs on the caller): what indexing spends on embedding proper, apart from the rest.
   */
  private static long embedderThreadsCpuNanos() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : threads.getAllThreadIds()) {
      java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu > 0 && info.getThreadName().startsWith("lensgate-minilm-")) {
        sum += cpu;
      }
    }
    return sum;
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[search] " + format + "%n", args);
  }
}
