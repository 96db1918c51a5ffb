package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lensgate sync|status} and {@code push --resume-ingest} against a real gateway sharing the
 * CLI's embedded metadata store (the CLI queues, the gateway's scheduler runs the job).
 */
class SyncStatusCommandTest {
  @TempDir Path dir;
  private TestDatabase db;
  private Gateway gateway;
  private CliHarness cli;

  /** A tiny deterministic embedder: unit vectors from the text's hash. */
  static final class HashEmbedder implements Embedder {
    @Override public String id() { return "test-hash:4"; }

    @Override public int dimensions() { return 4; }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        int h = t.hashCode();
        float[] v = {1 + (h & 7), 1 + ((h >> 3) & 7), 1 + ((h >> 6) & 7), 1 + ((h >> 9) & 7)};
        float n = (float) Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]);
        for (int i = 0; i < 4; i++) {
          v[i] /= n;
        }
        out.add(v);
      }
      return out;
    }
  }

  @BeforeEach
  void start() {
    db = TestDatabase.h2();
    db.execute("CREATE TABLE \"notes\" (\"id\" BIGINT PRIMARY KEY, \"body\" VARCHAR(100))",
        "INSERT INTO \"notes\" VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')");
    HashEmbedder embedder = new HashEmbedder();
    gateway = Gateway.start(new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), Map.of(), 0, 0,
        Duration.ofMillis(200), "cli-sync-test"), Clock.systemUTC(), Optional.of((e, l) -> embedder));
    cli = CliHarness.embedded(dir.resolve("data"));
    try (SecretBytes pw = SecretBytes.fromUtf8(db.password())) {
      gateway.sources().connect(gateway.store().defaultEnvironment().id(), "demo", db.jdbcUrl(), db.user(), pw);
    }
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private Path config() throws Exception {
    String yaml = String.join("\n",
        "stack: lensgate/v1",
        "sources:",
        "  demo: { type: h2, url: \"" + db.jdbcUrl() + "\" }",
        "  gone: { type: postgres, url: \"jdbc:postgresql://127.0.0.1:1/none\" }",
        "lenses:",
        "  notes:",
        "    source: demo",
        "    table: notes",
        "    primaryKey: id",
        "    fields:",
        "      id: { type: integer }",
        "      body: { type: string, searchable: true }",
        "  lost:",
        "    source: gone",
        "    table: lost",
        "    primaryKey: id",
        "    fields:",
        "      id: { type: integer }",
        "defaults:",
        "  grants: strict",
        "");
    Path p = dir.resolve("lensgate.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void status_newLenses_pausedUntilSyncWaitThenReady() throws Exception {
    CliHarness.Result push = cli.store("push", "--config", config().toString());
    assertThat(push.exit()).as(push.all()).isZero();
    gateway.refreshConfigs();

    CliHarness.Result before = cli.store("status");
    assertThat(before.exit()).as(before.all()).isZero();
    assertThat(before.outLines()).hasSize(2);
    assertThat(before.outLines().get(0)).matches("notes\\s+paused\\s+0\\s+0\\s+0/s\\s+never\\s+-");

    CliHarness.Result sync = cli.store("sync", "notes", "--wait");
    assertThat(sync.exit()).as(sync.all()).isZero();
    assertThat(sync.outLines()).hasSize(1);
    assertThat(sync.err()).contains("100%").contains("notes is ready: 3 documents");
    assertThat(gateway.syncQueue().find(sync.outLines().get(0))).map(SyncRequest::status).contains(SyncRequest.DONE);

    CliHarness.Result after = cli.store("status", "--lens", "notes");
    assertThat(after.outLines()).hasSize(1);
    assertThat(after.outLines().get(0)).matches("notes\\s+ready\\s+3\\s+0\\s+\\d+/s\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+-");
    JsonNode json = new ObjectMapper().readTree(cli.store("status", "--json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(0).path("lens").asText()).isEqualTo("notes");
    assertThat(json.get(0).path("state").asText()).isEqualTo("ready");
    assertThat(json.get(0).path("documents").asLong()).isEqualTo(3);
    assertThat(json.get(0).path("lastError").isNull()).isTrue();
    assertThat(json.get(1).path("state").asText()).isEqualTo("paused");
  }

  @Test
  void syncWait_unreachableSource_exit1DisconnectedInStatus() throws Exception {
    cli.store("push", "--config", config().toString());
    gateway.refreshConfigs();

    CliHarness.Result sync = cli.store("sync", "lost", "--wait", "--mode", "full");
    assertThat(sync.exit()).as(sync.all()).isEqualTo(1);
    assertThat(sync.err()).contains("sync of lost failed: source_unreachable");

    CliHarness.Result status = cli.store("status", "--lens", "lost");
    assertThat(status.outLines().get(0)).matches("lost\\s+disconnected\\s+0\\s+0\\s+\\d+/s\\s+never\\s+\"source_unreachable: .*\"");
  }

  @Test
  void pushResumeIngest_unpausesAndBuildsNeverSyncedLenses() throws Exception {
    CliHarness.Result push = cli.store("push", "--config", config().toString(), "--resume-ingest");
    assertThat(push.exit()).as(push.all()).isZero();
    assertThat(push.err()).contains("resumed ingest for 2 lens(es) in development");
    gateway.refreshConfigs();
    String env = gateway.store().defaultEnvironment().id();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (gateway.indexStates().get(env, "notes").flatMap(s -> s.lastSyncAt()).isEmpty()) {
      assertThat(System.nanoTime()).as("notes built within 30 s").isLessThan(end);
      Thread.sleep(50);
    }
    assertThat(gateway.indexStates().get(env, "notes").orElseThrow().paused()).isFalse();
    assertThat(gateway.indexes().writer(env, "notes").documentCount()).isEqualTo(3);
  }

  @Test
  void badUsage_unknownLensOrMode_failsWithoutQueueing() throws Exception {
    cli.store("push", "--config", config().toString());
    String env = gateway.store().defaultEnvironment().id();

    CliHarness.Result unknown = cli.store("sync", "nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no lens named 'nope'");
    assertThat(cli.store("sync", "notes", "--mode", "records").exit()).isEqualTo(2);
    assertThat(cli.store("status", "--lens", "nope").exit()).isEqualTo(1);
    assertThat(gateway.syncQueue().jobs(env, "notes")).isEmpty();
  }
}
