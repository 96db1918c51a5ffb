package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.client.LensgateApiException;
import dev.lensgate.client.Query;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.plan.JdbcReadExecutor;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.plan.SortKey;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.WhereLimits;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.runner.RunnerReads;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.testkit.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code count}, {@code read} and {@code test} jobs through the real runner and the real gateway on
 * a real PostgreSQL: a runner's count equals direct mode's {@code JdbcReadExecutor.count} for random
 * filters; a streamed full read equals a direct keyset walk; a consumer failure cancels the read; a
 * refused runner-local database is {@code 502 source_unreachable} well inside a 4 s deadline (still under the pool's 5 s connection timeout, so without the fast failure it would be 504).
 */
class RunnerJobKindsEndToEndTest {
  private static final long SEED = 20261124L;
  private static final int FILTERS = 40;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private TestDatabase db;
  private E2eGateway gw;
  private CreatedRunner edge1;
  private Map<String, String> runnerEnv;
  private LensgateConfig config;
  private RunnerReads reads;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.postgres();
    ItemsSetup.createItems(db, SEED);
    runnerEnv = Map.of("LENSGATE_SOURCE_AIRGAP_URL", db.jdbcUrl(), "LENSGATE_SOURCE_AIRGAP_USER", db.user(),
        "LENSGATE_SOURCE_AIRGAP_PASSWORD", db.password());
  }

  /** The gateway with {@code deadlineMillis}, runner {@code edge-1}, the items config and a RunnerReads over it. */
  private void startGateway(long deadlineMillis) {
    gw = E2eGateway.start(dataDir, Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, Long.toString(deadlineMillis)));
    edge1 = gw.createRunner(ItemsSetup.RUNNER);
    gw.push(ItemsSetup.config());
    gw.connect("direct", db.jdbcUrl(), db.user(), db.password());
    gw.connect("managed", db.jdbcUrl(), db.user(), db.password());
    config = ConfigLoader.parse(ItemsSetup.config(), "e2e.yaml").config().orElseThrow();
    // The gateway builds its RunnerReads the same way (its source lookup and credential decryption).
    reads = new RunnerReads(gw.gateway().dispatcher(), (env, name) -> config.source(name),
        (env, sc) -> gw.gateway().sources().credentials(env, sc.name())
            .map(c -> new JobCredentials(c.jdbcUrl(), c.user() == null ? "" : c.user(), c.password())),
        env -> gw.orgId(), Duration.ofMillis(deadlineMillis));
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    db.close();
  }

  private InProcessRunner startRunner(Map<String, String> env) throws Exception {
    return InProcessRunner.startOnline(gw.port(), ItemsSetup.RUNNER, edge1.token().revealUtf8(), env);
  }

  private LensConfig lens(String name) {
    return config.lens(name).orElseThrow();
  }

  private static ReadSpec spec(LensConfig lens, Filter filter) {
    return new ReadSpec(lens.schema().name(), filter, List.of(SortKey.asc("id")), 100, 0, Optional.empty(),
        List.copyOf(lens.schema().fields().keySet()));
  }

  private long directCount(LensConfig lens, ReadSpec spec) throws Exception {
    try (Connection c = db.connect()) {
      return new JdbcReadExecutor(SQLDialect.POSTGRES).count(c, spec, lens.schema());
    }
  }

  @Test
  void count_throughRunner_equalsDirectCountForRandomFilters() throws Exception {
    startGateway(20_000);
    Random random = new Random(SEED);
    List<Long> counts = new ArrayList<>();
    try (InProcessRunner runner = startRunner(runnerEnv)) {
      for (int i = 0; i < FILTERS; i++) {
        JsonNode where = JSON.readTree(randomWhere(random, 2));
        for (String viaRunner : List.of("managed", "airgap")) {
          LensConfig lens = lens(viaRunner);
          ReadSpec spec = spec(lens, WhereParser.parse(where, lens.schema(), WhereLimits.MERGED));
          long direct = directCount(lens, spec);
          OptionalLong through = reads.count(gw.envId(), lens, spec);
          assertThat(through).as("count of %s via %s", where, viaRunner).hasValue(direct);
          counts.add(direct);
        }
      }
      assertThat(reads.count(gw.envId(), lens("direct"), spec(lens("direct"), Filters.matchAll())))
          .as("a source without runners is not counted here").isEmpty();
    }
    System.out.println("runner counts equal direct counts for " + FILTERS + " filters x 2 sources; counts " + counts);
    assertThat(counts).as("the filters are not all trivial").contains(0L, (long) ItemsSetup.ROWS)
        .anyMatch(n -> n > 0 && n < ItemsSetup.ROWS);
    gw.gateway().flushRunnerLedger();
    assertThat(gw.gateway().runnerJobs().since(Instant.EPOCH)).filteredOn(j -> j.kind().equals("count"))
        .hasSize(FILTERS * 2).allMatch(j -> j.status().equals("succeeded"));
  }

  /** A random where over the items lens as JSON: leaves AND/OR/NOT-ed, plus the two fixed extremes. */
  private static String randomWhere(Random random, int depth) {
    int pick = random.nextInt(20);
    if (pick == 0) {
      return "{}";
    }
    if (pick == 1) {
      return "{\"id\":{\"$lt\":0}}";
    }
    if (depth > 0 && pick < 7) {
      String op = pick < 3 ? "$and" : pick < 5 ? "$or" : "$not";
      if (op.equals("$not")) {
        return "{\"$not\":" + randomWhere(random, depth - 1) + "}";
      }
      return "{\"" + op + "\":[" + randomWhere(random, depth - 1) + "," + randomWhere(random, depth - 1) + "]}";
    }
    String tier = RandomFilters.TIERS.get(random.nextInt(3));
    String syllable = RandomFilters.SYLLABLES.get(random.nextInt(RandomFilters.SYLLABLES.size()));
    int score = random.nextInt(220) - 60;
    switch (random.nextInt(9)) {
      case 0: return "{\"tier\":\"" + tier + "\"}";
      case 1: return "{\"tier\":{\"$ne\":\"" + tier + "\"}}";
      case 2: return "{\"score\":{\"$gt\":" + score + "}}";
      case 3: return "{\"score\":{\"$lte\":" + score + "}}";
      case 4: return "{\"name\":{\"$startsWith\":\"" + syllable + "\"}}";
      case 5: return "{\"name\":{\"$like\":\"%" + syllable + "%\"}}";
      case 6: return "{\"score\":{\"$exists\":" + random.nextBoolean() + "}}";
      case 7: return "{\"active\":" + random.nextBoolean() + "}";
      default: return "{\"id\":{\"$lte\":" + (1 + random.nextInt(160)) + "}}";
    }
  }

  @Test
  void readAll_throughRunner_streamsEveryRowInKeyOrderSameAsDirect() throws Exception {
    // More rows than one read page (1000) and than the 10,000-row cap of a query job's answer.
    db.execute("INSERT INTO items SELECT g, 'bulk' || g, g % 97, 'gold', g % 2 = 0 FROM generate_series("
        + (ItemsSetup.ROWS + 1) + ", 12500) g");
    startGateway(20_000);
    List<Map<String, Object>> direct = new ArrayList<>();
    try (Connection c = db.connect()) {
      JdbcReadExecutor executor = new JdbcReadExecutor(SQLDialect.POSTGRES);
      ReadSpec page = new ReadSpec("managed", Filters.matchAll(), List.of(SortKey.asc("id")), 1000, 0, Optional.empty(),
          List.copyOf(lens("managed").schema().fields().keySet()));
      while (true) {
        ReadPage p = executor.fetch(c, page, lens("managed").schema());
        direct.addAll(p.rows());
        if (p.next().isEmpty()) {
          break;
        }
        page = page.withAfter(p.next().get());
      }
    }
    try (InProcessRunner runner = startRunner(runnerEnv)) {
      for (String viaRunner : List.of("managed", "airgap")) {
        List<Map<String, Object>> streamed = new ArrayList<>();
        AtomicInteger chunks = new AtomicInteger();
        long t0 = System.nanoTime();
        OptionalLong total = reads.readAll(gw.envId(), lens(viaRunner), Filters.matchAll(), rows -> {
          chunks.incrementAndGet();
          streamed.addAll(rows);
        });
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("read via " + viaRunner + ": " + total.getAsLong() + " rows in " + chunks.get() + " chunks, "
            + ms + " ms");
        assertThat(total).hasValue(12_500);
        assertThat(chunks.get()).isGreaterThan(1);
        assertThat(streamed).isEqualTo(direct);
      }
    }
    gw.gateway().flushRunnerLedger();
    assertThat(gw.gateway().runnerJobs().since(Instant.EPOCH)).filteredOn(j -> j.kind().equals("read"))
        .extracting(RunnerJobRow::status, RunnerJobRow::rowCount)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("succeeded", 12_500L));
  }

  @Test
  void readAll_consumerFailsMidStream_jobCancelledAndRunnerKeepsServing() throws Exception {
    db.execute("INSERT INTO items SELECT g, 'bulk' || g, g % 97, 'gold', true FROM generate_series("
        + (ItemsSetup.ROWS + 1) + ", 30000) g");
    startGateway(20_000);
    try (InProcessRunner runner = startRunner(runnerEnv)) {
      AtomicInteger seen = new AtomicInteger();
      assertThatThrownBy(() -> reads.readAll(gw.envId(), lens("managed"), Filters.matchAll(), rows -> {
        if (seen.addAndGet(rows.size()) > 1500) {
          throw new IllegalStateException("disk full");
        }
      })).isInstanceOf(IllegalStateException.class);
      Waits.awaitTrue(Duration.ofSeconds(5), () -> gw.gateway().dispatcher().inFlight() == 0, "the job to end");
      assertThat(seen.get()).isLessThan(30_000);
      // the same runner answers the next job
      assertThat(reads.count(gw.envId(), lens("managed"), spec(lens("managed"), Filters.matchAll()))).hasValue(30_000);
    }
    gw.gateway().flushRunnerLedger();
    assertThat(gw.gateway().runnerJobs().since(Instant.EPOCH)).filteredOn(j -> j.kind().equals("read"))
        .extracting(j -> j.errorCode().orElse("")).containsExactly("consumer_failed");
  }

  @Test
  void test_throughRunner_okForReachableSourceAndSourceUnreachableForAClosedPort() throws Exception {
    startGateway(20_000);
    int closedPort = closedPort();
    Map<String, String> env = Map.of("LENSGATE_SOURCE_AIRGAP_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/none",
        "LENSGATE_SOURCE_AIRGAP_USER", "u");
    try (InProcessRunner runner = startRunner(env)) {
      assertThat(reads.test(gw.envId(), "managed")).isEmpty();
      assertThat(reads.test(gw.envId(), "airgap")).contains(ErrorCode.SOURCE_UNREACHABLE);
    }
  }

  @Test
  void query_runnerLocalDatabaseRefusesConnections_is502SourceUnreachableWithinA4sDeadline() throws Exception {
    startGateway(4_000); // under Hikari's 5 s connection timeout, with room for a loaded CI machine
    Map<String, String> env = Map.of("LENSGATE_SOURCE_AIRGAP_URL", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/none",
        "LENSGATE_SOURCE_AIRGAP_USER", "u", "LENSGATE_SOURCE_AIRGAP_PASSWORD", "p");
    try (InProcessRunner runner = startRunner(env)) {
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        LensgateApiException e = catchThrowableOfType(() -> gw.client().query("airgap", Query.all().limit(3)),
            LensgateApiException.class);
        System.out.println("refused runner-local database -> " + (e == null ? "no error" : e.status() + " " + e.code())
            + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms (deadline 4000 ms)");
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.code()).isEqualTo("source_unreachable");
      }
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
