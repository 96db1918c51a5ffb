package dev.lensgate.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.ConfigStore;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.SourceStore;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 202 of the webhook means the change is committed: a gateway in a child JVM answers 202 and
 * is killed with SIGKILL before its 2 s debounce fires; the change is in the buffer, and a
 * restarted gateway applies it.
 */
class IngestCrashTest {
  @TempDir Path dir;

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A started child gateway and its port. */
  record Child(Process process, int port) {}

  private Child startChild(Path dataDir, Map<String, String> env) throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", classpath, IngestGatewayMain.class.getName(),
        dataDir.toString());
    pb.environment().putAll(env);
    pb.redirectError(Files.createTempFile(dir, "child", ".err").toFile());
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("lg-port ")) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {
              // keep the pipe empty
            }
          } catch (IOException ignored) {
            // the child ended
          }
        });
        drain.setDaemon(true);
        drain.start();
        return new Child(p, Integer.parseInt(line.substring(8).trim()));
      }
    }
    throw new AssertionError("the child gateway ended before listening (exit " + p.waitFor() + ")");
  }

  @Test
  void ingest_killedRightAfter202_changeAppliedAfterRestart() throws Exception {
    try (TestDatabase metaDb = TestDatabase.postgres(); TestDatabase source = TestDatabase.postgres()) {
      source.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, title VARCHAR(100))",
          "INSERT INTO items VALUES (1, 'one'), (2, 'two')");
      Path dataDir = dir.resolve("data");
      Map<String, String> env = new HashMap<>();
      env.put(MetadataStore.ENV_DB_URL, metaDb.jdbcUrl());
      env.put(MetadataStore.ENV_DB_USER, metaDb.user());
      env.put(MetadataStore.ENV_DB_PASSWORD, metaDb.password());
      env.put(MasterKeys.ENV_VAR, MasterKeys.newEnvironmentValue());
      Clock clock = Clock.systemUTC();
      String ik;
      String envId;
      try (MetadataStore store = MetadataStore.openFromEnvironment(dataDir, env, clock)) {
        envId = store.defaultEnvironment().id();
        KeyMaterial material = MasterKeys.load(dataDir, env);
        try (SecretBytes pw = SecretBytes.fromUtf8(source.password())) {
          new SourceStore(store.dataSource(), material.envelope(), clock).connect(envId, "main", source.jdbcUrl(),
              source.user(), pw);
        }
        new ConfigStore(store.dataSource(), clock).push(envId, "stack: lensgate/v1\nsources:\n  main:\n    type: postgres\n"
            + "lenses:\n  items:\n    source: main\n    table: items\n    primaryKey: id\n    fields:\n"
            + "      id: { type: integer }\n      title: { type: string, searchable: true }\n");
        ik = new ApiKeyService(store.dataSource(), new KeyHasher(material), PartnerSecretHasher.unsafeLowCostBcryptForTests(4),
            new KeyRevocations(), clock).create(KeyType.IK, envId, "crash", Set.of()).plaintext().revealUtf8();
      }
      try (MetadataStore store = MetadataStore.openFromEnvironment(dataDir, env, clock)) {
        SyncQueueStore queue = new SyncQueueStore(store.dataSource(), clock);
        IndexStateStore states = new IndexStateStore(store.dataSource(), clock);

        Child first = startChild(dataDir, env);
        String build = queue.request(envId, "items", SyncMode.FULL, SyncRequest.ORIGIN_CLI);
        await("first build", () -> queue.find(build).orElseThrow().finished());
        assertThat(states.get(envId, "items").orElseThrow().state()).isEqualTo(IndexState.READY);

        source.execute("INSERT INTO items VALUES (100, 'hundred')");
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + first.port() + "/v1/ingest/items"))
            .header("Authorization", "Bearer " + ik).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"records\",\"changes\":[{\"id\":\"100\",\"action\":\"upsert\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        first.process().destroyForcibly(); // SIGKILL, well inside the 2 s debounce
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(202);

        // Committed before the answer: the change is in the buffer, its job still queued.
        assertThat(queue.pendingChanges(envId, "items")).isEqualTo(1);
        assertThat(queue.changes(envId, "items", 10).get(0).recordId()).isEqualTo("100");
        assertThat(queue.hasOpenJob(envId, "items")).isTrue();

        Child second = startChild(dataDir, env);
        try {
          String jobId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body()).path("jobId").asText();
          await("change applied after restart", () -> queue.find(jobId).orElseThrow().finished());
          assertThat(queue.find(jobId).orElseThrow().status()).isEqualTo(SyncRequest.DONE);
          assertThat(queue.pendingChanges(envId, "items")).isZero();
          assertThat(states.get(envId, "items").orElseThrow().documents()).isEqualTo(3);
        } finally {
          try (OutputStream in = second.process().getOutputStream()) {
            in.write("quit\n".getBytes(StandardCharsets.UTF_8));
          } catch (IOException ignored) {
            // already gone
          }
          if (!second.process().waitFor(30, TimeUnit.SECONDS)) {
            second.process().destroyForcibly();
          }
        }
        try (LensIndexes indexes = new LensIndexes(dataDir.resolve("index"))) {
          assertThat(indexes.writer(envId, "items").contentHashes(List.of("100"))).containsKey("100");
        }
      }
    }
  }
}
