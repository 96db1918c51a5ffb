package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lensgate subscribe} and {@code lensgate observe} against a real gateway's stream socket. */
class StreamCommandsTest {
  @TempDir static Path dir;
  static Gateway gateway;
  static String env;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    GatewaySettings settings = new GatewaySettings(dir.resolve("data"), HttpSettings.plain("127.0.0.1", 0), Map.of(),
        0, 0, Duration.ZERO, "cli-test");
    gateway = Gateway.start(settings, Clock.systemUTC(), Optional.empty());
    env = gateway.store().defaultEnvironment().id();
    gateway.configs().push(env, "stack: lensgate/v1\n"
        + "sources:\n  main: { type: h2 }\n"
        + "lenses:\n  items:\n    source: main\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      name: { type: string }\n      color: { type: string }\n");
    gateway.refreshConfigs();
    url = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static Path keyFile(CreatedKey key, String name) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, key.plaintext().revealUtf8() + "\n");
    return file;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static ChangeEvent insert(long id, String color) {
    return ChangeEvent.upsert(env, "items", Long.toString(id), Optional.empty(),
        Map.of("id", id, "name", "thing " + id, "color", color));
  }

  @Test
  void subscribe_printsTheMatchingChangesAsJsonLines_andStopsAfterLimit() throws Exception {
    CreatedKey key = gateway.keys().create(KeyType.SK, env, "cli-sub", Set.of());
    int live = gateway.streamHub().liveCount(env, "items");
    Path file = keyFile(key, "sub-key");
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> CliHarness.embedded(dir.resolve("unused"))
        .run("subscribe", "items", "--where", "{\"color\":\"red\"}", "--limit", "3", "--url", url,
            "--key-file", file.toString()));
    await(() -> gateway.streamHub().liveCount(env, "items") == live + 1, "the subscription in the hub");

    gateway.streamHub().changed(insert(1, "red"));
    gateway.streamHub().changed(insert(2, "blue"));
    gateway.streamHub().changed(insert(3, "red"));
    gateway.streamHub().changed(ChangeEvent.delete(env, "items", "1", Map.of("id", 1L, "name", "thing 1", "color", "red")));
    gateway.streamHub().changed(insert(5, "red"));
    CliHarness.Result r = run.get(20, TimeUnit.SECONDS);

    assertThat(r.exit()).as(r.all()).isZero();
    List<JsonNode> lines = SearchCommandTest.lines(r);
    assertThat(lines).extracting(n -> n.path("kind").asText() + ":" + n.path("record").path("id").asLong())
        .containsExactly("insert:1", "insert:3", "delete:1");
    assertThat(lines.get(0).path("record").path("color").asText()).isEqualTo("red");
    assertThat(lines.get(2).path("record").has("color")).as("a delete shows only the key").isFalse();
  }

  @Test
  void subscribe_exitsOneWithKeyRevoked_whenTheKeyIsRevoked() throws Exception {
    CreatedKey key = gateway.keys().create(KeyType.SK, env, "cli-rev", Set.of());
    Path file = keyFile(key, "rev-key");
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> CliHarness.embedded(dir.resolve("unused"))
        .run("subscribe", "items", "--url", url, "--key-file", file.toString()));
    await(() -> gateway.streamEndpoint().subscriptions(key.info().id()) == 1, "the subscription");

    gateway.keys().revoke(key.info().id());
    CliHarness.Result r = run.get(20, TimeUnit.SECONDS);

    assertThat(r.exit()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("stream closed: key_revoked").doesNotContain(key.plaintext().revealUtf8());
    assertThat(r.out()).isEmpty();
  }

  @Test
  void observe_unknownLens_exitsOneWithTheCode() throws Exception {
    Path file = keyFile(gateway.keys().create(KeyType.SK, env, "cli-obs", Set.of()), "obs-key");
    CliHarness.Result r = CompletableFuture.supplyAsync(() -> CliHarness.embedded(dir.resolve("unused"))
        .run("observe", "nope", "1", "--url", url, "--key-file", file.toString())).get(20, TimeUnit.SECONDS);

    assertThat(r.exit()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("stream closed: lens_not_found");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void observe_absentRecord_printsNullThenItsChangesOnly() throws Exception {
    CreatedKey key = gateway.keys().create(KeyType.SK, env, "cli-obs2", Set.of());
    int live = gateway.streamHub().liveCount(env, "items");
    Path file = keyFile(key, "obs2-key");
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> CliHarness.embedded(dir.resolve("unused"))
        .run("observe", "items", "42", "--limit", "1", "--url", url, "--key-file", file.toString()));
    await(() -> gateway.streamHub().liveCount(env, "items") == live + 1, "the observation in the hub");

    gateway.streamHub().changed(insert(41, "red"));
    gateway.streamHub().changed(insert(42, "green"));
    CliHarness.Result r = run.get(20, TimeUnit.SECONDS);

    assertThat(r.exit()).as(r.all()).isZero();
    List<JsonNode> lines = SearchCommandTest.lines(r);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).path("record").isNull()).isTrue();
    assertThat(lines.get(1).path("kind").asText()).isEqualTo("insert");
    assertThat(lines.get(1).path("record").path("id").asLong()).isEqualTo(42);
  }

  @Test
  void subscribe_negativeLimit_isBadUsage() {
    CliHarness.Result r = CliHarness.embedded(dir.resolve("unused")).run("subscribe", "items", "--limit", "-1", "--url", url);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--limit");
  }
}
