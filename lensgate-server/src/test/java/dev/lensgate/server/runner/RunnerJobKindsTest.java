package dev.lensgate.server.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerJobRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's side of {@code count}, {@code read} (streamed) and {@code test} jobs, multi-chunk
 * query results, and runner selection by heartbeat {@code sources}: a real gateway, fake runners on
 * real sockets.
 */
class RunnerJobKindsTest {
  private static final long DEADLINE_MS = 3000;
  private static final String YAML = "stack: lensgate/v1\n"
      + "sources:\n"
      + "  local:\n    type: postgres\n    runners: [edge-1, edge-2]\n    credentials: runner-local\n"
      + "  managed:\n    type: postgres\n    runners: [edge-1, edge-2]\n"
      + "lenses:\n"
      + "  items:\n    source: local\n    table: items\n    primaryKey: id\n"
      + "    fields:\n      id: { type: integer }\n      title: { type: string }\n"
      + "  secure:\n    source: managed\n    table: items\n    primaryKey: id\n"
      + "    fields:\n      id: { type: integer }\n      title: { type: string }\n"
      + "defaults:\n  grants: strict\n";

  @TempDir
  Path dataDir;
  private Gateway gateway;
  private String envId;
  private String orgId;
  private CreatedRunner edge1;
  private CreatedRunner edge2;
  private LensgateConfig config;
  private RunnerReads reads;

  @BeforeEach
  void start() {
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", 0),
        Map.of(RunnerSettings.JOB_DEADLINE_MILLIS, Long.toString(DEADLINE_MS)), 0, 0, Duration.ZERO, "runner-kinds-test");
    gateway = Gateway.start(settings, Clock.systemUTC());
    envId = gateway.store().defaultEnvironment().id();
    orgId = gateway.store().defaultOrg().id();
    gateway.keys().create(KeyType.SK, envId, "test", Set.of());
    edge1 = gateway.runners().create(orgId, "edge-1");
    edge2 = gateway.runners().create(orgId, "edge-2");
    config = ConfigLoader.parse(YAML, "t.yaml").config().orElseThrow();
    gateway.configs().push(envId, YAML);
    gateway.refreshConfigs();
    try (SecretBytes pw = SecretBytes.fromUtf8("pw")) {
      gateway.sources().connect(envId, "managed", "jdbc:postgresql://10.0.0.9:5432/shop", "reader", pw);
    }
    reads = new RunnerReads(gateway.dispatcher(), (env, name) -> config.source(name),
        (env, sc) -> gateway.sources().credentials(env, sc.name())
            .map(c -> new JobCredentials(c.jdbcUrl(), c.user(), c.password())),
        env -> orgId, Duration.ofMillis(DEADLINE_MS));
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private LensConfig lens(String name) {
    return config.lens(name).orElseThrow();
  }

  /** A runner that said hello and whose heartbeat (if any) the gateway has taken in. */
  private FakeRunner connected(CreatedRunner runner, String... sources) throws Exception {
    FakeRunner r = FakeRunner.connect(gateway.port(), runner.token().revealUtf8()).get(10, TimeUnit.SECONDS);
    String sessionId = r.next("hello").path("sessionId").asText();
    if (sources != null) {
      r.heartbeat(sources);
      waitUntil(() -> gateway.runnerSessions().get(sessionId).map(s -> s.sources().equals(List.of(sources))).orElse(false));
    }
    return r;
  }

  private static void result(FakeRunner r, String jobId, String rows, boolean done, long rowCount) {
    r.send("{\"type\":\"result\",\"jobId\":\"" + jobId + "\",\"rows\":" + rows + ",\"done\":" + done
        + ",\"rowCount\":" + rowCount + ",\"durationMs\":1}");
  }

  private static ReadSpec allOf(LensConfig lens, int limit) {
    return new ReadSpec(lens.schema().name(), Filters.matchAll(), List.of(dev.lensgate.core.plan.SortKey.asc("id")),
        limit, 0, Optional.empty(), List.of("id", "title"));
  }

  private JobRequest readRequest(Duration deadline) {
    LensConfig items = lens("items");
    return new JobRequest(orgId, envId, "local", List.of("edge-1", "edge-2"), JobKind.READ,
        LensMapping.of(items.schema()), allOf(items, QueryRequest.MAX_LIMIT).toJson(), Optional.empty(), deadline);
  }

  private static LensgateException failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(15, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(LensgateException.class);
      return (LensgateException) e.getCause();
    }
  }

  // count

  @Test
  void count_runnerAnswersRowCount_returnsItAndShipsOnlyTheStructuredSpec() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      ReadSpec spec = new ReadSpec("items", Filters.eq("title", "a"), List.of(dev.lensgate.core.plan.SortKey.asc("id")),
          10, 0, Optional.empty(), List.of("id"));
      CompletableFuture<OptionalLong> n = CompletableFuture.supplyAsync(() -> reads.count(envId, lens("items"), spec));
      JsonNode job = r.next("job");
      assertThat(job.path("kind").asText()).isEqualTo("count");
      assertThat(job.path("spec").path("where").toString()).contains("\"title\"").contains("\"a\"");
      assertThat(job.toString()).doesNotContainIgnoringCase("select ").doesNotContain("credentials");
      result(r, job.path("jobId").asText(), "[]", true, 42);
      assertThat(n.get(10, TimeUnit.SECONDS)).hasValue(42);
    }
    gateway.flushRunnerLedger();
    assertThat(gateway.runnerJobs().since(Instant.EPOCH)).extracting(RunnerJobRow::kind, RunnerJobRow::status, RunnerJobRow::rowCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("count", "succeeded", 42L));
  }

  @Test
  void count_runnerErrorFrame_keepsSourceUnreachable() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      CompletableFuture<OptionalLong> n = CompletableFuture.supplyAsync(() -> reads.count(envId, lens("items"), allOf(lens("items"), 10)));
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"error\",\"jobId\":\"" + jobId + "\",\"code\":\"source_unreachable\",\"message\":\"m\"}");
      assertThat(failure(n).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
    }
  }

  // query with several result frames

  @Test
  void dispatch_queryAnsweredInSeveralChunks_collectsAllRows() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      LensConfig items = lens("items");
      CompletableFuture<JobOutcome> out = CompletableFuture.supplyAsync(() -> gateway.dispatcher().dispatch(
          new JobRequest(orgId, envId, "local", List.of("edge-1"), JobKind.QUERY, LensMapping.of(items.schema()),
              allOf(items, 10).toJson(), Optional.empty(), Duration.ofMillis(DEADLINE_MS))));
      String jobId = r.next("job").path("jobId").asText();
      result(r, jobId, "[{\"id\":1},{\"id\":2}]", false, 2);
      result(r, jobId, "[{\"id\":3}]", true, 3);
      JobOutcome o = out.get(10, TimeUnit.SECONDS);
      assertThat(o.rows()).extracting(n -> n.get("id").asLong()).containsExactly(1L, 2L, 3L);
      assertThat(o.rowCount()).isEqualTo(3);
    }
  }

  // read (streamed)

  @Test
  void readAll_chunksDeliveredInOrderTypedThenTotal() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      List<Map<String, Object>> seen = new ArrayList<>();
      List<Integer> chunkSizes = new ArrayList<>();
      CompletableFuture<OptionalLong> total = CompletableFuture.supplyAsync(() -> reads.readAll(envId, lens("items"),
          Filters.matchAll(), rows -> {
            chunkSizes.add(rows.size());
            seen.addAll(rows);
          }));
      JsonNode job = r.next("job");
      assertThat(job.path("kind").asText()).isEqualTo("read");
      assertThat(job.path("spec").path("orderBy").get(0).path("field").asText()).isEqualTo("id");
      assertThat(job.path("spec").path("offset").asInt()).isZero();
      String jobId = job.path("jobId").asText();
      result(r, jobId, "[{\"id\":1,\"title\":\"a\"},{\"id\":2,\"title\":\"b\"}]", false, 2);
      result(r, jobId, "[{\"id\":3,\"title\":null}]", false, 3);
      result(r, jobId, "[{\"id\":4,\"title\":\"d\"}]", false, 4);
      result(r, jobId, "[]", true, 4);
      assertThat(total.get(10, TimeUnit.SECONDS)).hasValue(4);
      assertThat(chunkSizes).containsExactly(2, 1, 1);
      assertThat(seen).extracting(m -> m.get("id")).containsExactly(1L, 2L, 3L, 4L);
      assertThat(seen.get(2)).containsEntry("title", null);
    }
    gateway.flushRunnerLedger();
    assertThat(gateway.runnerJobs().since(Instant.EPOCH)).extracting(RunnerJobRow::kind, RunnerJobRow::rowCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("read", 4L));
  }

  @Test
  void readAll_moreRowsThanTheQueryCap_streamsThemAll() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      long[] count = new long[1];
      CompletableFuture<OptionalLong> total = CompletableFuture.supplyAsync(() -> reads.readAll(envId, lens("items"),
          Filters.matchAll(), rows -> count[0] += rows.size()));
      String jobId = r.next("job").path("jobId").asText();
      int chunks = (JobDispatcher.MAX_ROWS_PER_JOB / 1000) + 2;
      long sent = 0;
      for (int c = 0; c < chunks; c++) {
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
          sent++;
          rows.append(i == 0 ? "" : ",").append("{\"id\":").append(sent).append('}');
        }
        result(r, jobId, rows.append(']').toString(), false, sent);
      }
      result(r, jobId, "[]", true, sent);
      assertThat(total.get(30, TimeUnit.SECONDS)).hasValue(sent);
      assertThat(count[0]).isEqualTo(sent).isGreaterThan(JobDispatcher.MAX_ROWS_PER_JOB);
    }
  }

  @Test
  void stream_overItsRowCap_runnerFailedAndRunnerGetsCancel() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      List<JsonNode> seen = new ArrayList<>();
      CompletableFuture<JobOutcome> out = CompletableFuture.supplyAsync(
          () -> gateway.dispatcher().stream(readRequest(Duration.ofSeconds(10)), 3, seen::addAll));
      String jobId = r.next("job").path("jobId").asText();
      result(r, jobId, "[{\"id\":1},{\"id\":2}]", false, 2);
      result(r, jobId, "[{\"id\":3},{\"id\":4}]", false, 4);
      assertThat(failure(out).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
      assertThat(seen).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void readAll_consumerThrows_jobCancelledAndExceptionPropagates() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      CompletableFuture<OptionalLong> total = CompletableFuture.supplyAsync(() -> reads.readAll(envId, lens("items"),
          Filters.matchAll(), rows -> {
            throw new IllegalStateException("sink is full");
          }));
      String jobId = r.next("job").path("jobId").asText();
      result(r, jobId, "[{\"id\":1}]", false, 1);
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
      assertThatThrownBy(() -> total.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
      // later frames of the cancelled job are ignored
      long ignored = gateway.dispatcher().ignoredFrames();
      result(r, jobId, "[{\"id\":2}]", false, 2);
      waitUntil(() -> gateway.dispatcher().ignoredFrames() == ignored + 1);
    }
    gateway.flushRunnerLedger();
    assertThat(gateway.runnerJobs().since(Instant.EPOCH)).extracting(j -> j.errorCode().orElse(""))
        .containsExactly(JobStream.CONSUMER_FAILED);
  }

  @Test
  void stream_pastDeadline_is504AndRunnerGetsCancel() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      CompletableFuture<JobOutcome> out = CompletableFuture.supplyAsync(
          () -> gateway.dispatcher().stream(readRequest(Duration.ofMillis(400)), 100, rows -> { }));
      String jobId = r.next("job").path("jobId").asText();
      result(r, jobId, "[{\"id\":1}]", false, 1);
      assertThat(failure(out).code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
    }
  }

  @Test
  void stream_runnerDropsMidStream_runnerFailed() throws Exception {
    FakeRunner r = connected(edge1, "*", "local");
    CompletableFuture<JobOutcome> out = CompletableFuture.supplyAsync(
        () -> gateway.dispatcher().stream(readRequest(Duration.ofSeconds(10)), 100, rows -> { }));
    String jobId = r.next("job").path("jobId").asText();
    result(r, jobId, "[{\"id\":1}]", false, 1);
    r.abort();
    assertThat(failure(out).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
  }

  @Test
  void stream_finalCountDisagreesWithRowsStreamed_runnerFailed() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      CompletableFuture<JobOutcome> out = CompletableFuture.supplyAsync(
          () -> gateway.dispatcher().stream(readRequest(Duration.ofSeconds(10)), 100, rows -> { }));
      String jobId = r.next("job").path("jobId").asText();
      result(r, jobId, "[{\"id\":1}]", false, 1);
      result(r, jobId, "[]", true, 5);
      assertThat(failure(out).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    }
  }

  @Test
  void stream_consumerFallsBehind_failsAfterTheStallAndCancels() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      CountDownLatch release = new CountDownLatch(1);
      Consumer<List<JsonNode>> stuck = rows -> {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      CompletableFuture<JobOutcome> out = CompletableFuture.supplyAsync(() -> JobStream.run(gateway.dispatcher(),
          readRequest(Duration.ofSeconds(20)), new JobStream(1_000_000, Duration.ofMillis(300)), stuck));
      String jobId = r.next("job").path("jobId").asText();
      for (int i = 1; i <= JobStream.MAX_BUFFERED_CHUNKS + 3; i++) {
        result(r, jobId, "[{\"id\":" + i + "}]", false, i);
      }
      assertThat(r.next("cancel").path("jobId").asText()).isEqualTo(jobId);
      release.countDown();
      assertThat(failure(out).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    }
  }

  // test

  @Test
  void test_runnerAnswers_okOrTheErrorCode() throws Exception {
    try (FakeRunner r = connected(edge1, "*", "local")) {
      CompletableFuture<Optional<ErrorCode>> ok = CompletableFuture.supplyAsync(() -> reads.test(envId, "managed"));
      JsonNode job = r.next("job");
      assertThat(job.path("kind").asText()).isEqualTo("test");
      assertThat(job.path("source").asText()).isEqualTo("managed");
      result(r, job.path("jobId").asText(), "[]", true, 0);
      assertThat(ok.get(10, TimeUnit.SECONDS)).isEmpty();

      CompletableFuture<Optional<ErrorCode>> down = CompletableFuture.supplyAsync(() -> reads.test(envId, "local"));
      String jobId = r.next("job").path("jobId").asText();
      r.send("{\"type\":\"error\",\"jobId\":\"" + jobId + "\",\"code\":\"source_unreachable\",\"message\":\"m\"}");
      assertThat(down.get(10, TimeUnit.SECONDS)).contains(ErrorCode.SOURCE_UNREACHABLE);
    }
    waitUntil(() -> gateway.runnerSessions().size() == 0);
    assertThat(reads.test(envId, "local")).contains(ErrorCode.NO_RUNNERS_ONLINE);
    assertThatThrownBy(() -> reads.test(envId, "nope")).isInstanceOf(LensgateException.class)
        .extracting(e -> ((LensgateException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  // selection by heartbeat sources

  @Test
  void pick_runnerWhoseHeartbeatExcludesTheSource_neverPickedWhileAnotherCan() throws Exception {
    try (FakeRunner narrow = connected(edge1, "crm"); FakeRunner wide = connected(edge2, "*")) {
      for (int i = 0; i < 12; i++) {
        CompletableFuture<Optional<ErrorCode>> t = CompletableFuture.supplyAsync(() -> reads.test(envId, "managed"));
        String jobId = wide.next("job").path("jobId").asText();
        result(wide, jobId, "[]", true, 0);
        assertThat(t.get(10, TimeUnit.SECONDS)).isEmpty();
      }
      assertThat(narrow.rawReceived).noneMatch(f -> f.contains("\"type\":\"job\""));
    }
  }

  @Test
  void pick_runnerLocalSource_onlyARunnerNamingIt() throws Exception {
    try (FakeRunner holder = connected(edge1, "local"); FakeRunner wildcard = connected(edge2, "*")) {
      for (int i = 0; i < 12; i++) {
        CompletableFuture<Optional<ErrorCode>> t = CompletableFuture.supplyAsync(() -> reads.test(envId, "local"));
        String jobId = holder.next("job").path("jobId").asText();
        result(holder, jobId, "[]", true, 0);
        assertThat(t.get(10, TimeUnit.SECONDS)).isEmpty();
      }
      assertThat(wildcard.rawReceived).noneMatch(f -> f.contains("\"type\":\"job\""));
    }
  }

  @Test
  void pick_onlyExcludingRunnersOnline_is503NoRunnersOnline() throws Exception {
    try (FakeRunner narrow = connected(edge1, "crm")) {
      assertThat(reads.test(envId, "managed")).contains(ErrorCode.NO_RUNNERS_ONLINE);
      assertThatThrownBy(() -> gateway.dispatcher().dispatch(readRequest(Duration.ofSeconds(1))))
          .isInstanceOf(LensgateException.class).hasMessageContaining("announces source local");
      assertThat(narrow.rawReceived).noneMatch(f -> f.contains("\"type\":\"job\""));
    }
  }

  @Test
  void pick_runnerThatAnnouncedNothing_staysEligible() throws Exception {
    try (FakeRunner silent = connected(edge1, (String[]) null)) {
      CompletableFuture<Optional<ErrorCode>> t = CompletableFuture.supplyAsync(() -> reads.test(envId, "local"));
      String jobId = silent.next("job").path("jobId").asText();
      result(silent, jobId, "[]", true, 0);
      assertThat(t.get(10, TimeUnit.SECONDS)).isEmpty();
    }
    waitUntil(() -> gateway.runnerSessions().size() == 0);
    try (FakeRunner empty = connected(edge2)) {
      CompletableFuture<Optional<ErrorCode>> t = CompletableFuture.supplyAsync(() -> reads.test(envId, "managed"));
      String jobId = empty.next("job").path("jobId").asText();
      result(empty, jobId, "[]", true, 0);
      assertThat(t.get(10, TimeUnit.SECONDS)).isEmpty();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
