package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.server.store.ActiveConfig;
import dev.lensgate.server.store.ConfigStore;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushCommandTest {
  private static final String HASH = "sha256:[0-9a-f]{64}";

  @TempDir
  Path dir;

  private Path config(String text) throws Exception {
    Path p = dir.resolve("lensgate.yaml");
    Files.writeString(p, text);
    return p;
  }

  private Optional<ActiveConfig> active(Map<String, String> env) {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir.resolve("data"), env, Clock.systemUTC())) {
      return new ConfigStore(store.dataSource(), Clock.systemUTC()).active(store.defaultEnvironment().id());
    }
  }

  private CliHarness cli() {
    return CliHarness.embedded(dir.resolve("data"));
  }

  @Test
  void push_first_storesItAndPrintsAllLinesAsAdded() throws Exception {
    Path file = config(ValidateCommandTest.STRICT);

    CliHarness.Result r = cli().store("push", "--config", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines().get(0)).isEqualTo("--- development (no config yet)");
    assertThat(r.outLines().get(1)).isEqualTo("+++ " + file);
    assertThat(r.outLines().get(2)).isEqualTo("@@ -0,0 +1,13 @@");
    assertThat(r.outLines().get(3)).isEqualTo("+stack: lensgate/v1");
    assertThat(r.outLines().get(r.outLines().size() - 1)).matches("pushed to development \\(" + HASH + "\\)");
    assertThat(active(Map.of())).map(ActiveConfig::yaml).contains(ValidateCommandTest.STRICT);
  }

  @Test
  void push_sameContentAgain_isUnchangedWithTheSameHash() throws Exception {
    Path file = config(ValidateCommandTest.STRICT);
    CliHarness cli = cli();
    String first = cli.store("push", "--config", file.toString()).outLines().stream()
        .filter(l -> l.startsWith("pushed")).findFirst().orElseThrow();

    CliHarness.Result again = cli.store("push", "--config", file.toString());

    assertThat(again.exit()).isZero();
    assertThat(again.outLines()).hasSize(1);
    assertThat(again.outLines().get(0)).matches("unchanged \\(" + HASH + "\\)");
    assertThat(first).contains(again.outLines().get(0).substring("unchanged (".length()));
  }

  @Test
  void push_changedContent_printsOnlyTheChangedHunkWithContext() throws Exception {
    Path file = config(ValidateCommandTest.STRICT);
    CliHarness cli = cli();
    cli.store("push", "--config", file.toString());
    Files.writeString(file, ValidateCommandTest.STRICT.replace("table: notes", "table: notes_v2"));

    CliHarness.Result r = cli.store("push", "--config", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--- development (previous)")
        .contains("\n-    table: notes\n+    table: notes_v2\n")
        .contains("@@ -4,7 +4,7 @@")
        .doesNotContain("stack: lensgate/v1")
        .doesNotContain("grants: strict");
    assertThat(active(Map.of()).orElseThrow().yaml()).contains("notes_v2");
  }

  @Test
  void push_invalidConfig_exits1WithErrorsAndStoresNothing() throws Exception {
    Path file = config(ValidateCommandTest.STRICT);
    CliHarness cli = cli();
    cli.store("push", "--config", file.toString());
    Files.writeString(file, ValidateCommandTest.BROKEN);

    CliHarness.Result r = cli.store("push", "--config", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("error: " + file + ":3:").contains("nothing pushed");
    assertThat(r.out()).isEmpty();
    assertThat(active(Map.of()).orElseThrow().yaml()).isEqualTo(ValidateCommandTest.STRICT);
  }

  @Test
  void push_warnings_goToStderrAndThePushSucceeds() throws Exception {
    Path file = config(ValidateCommandTest.IMPLICIT_PUBLIC);

    CliHarness.Result r = cli().store("push", "--config", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("warning: " + file + ":");
    assertThat(r.out()).doesNotContain("warning:");
  }

  @Test
  void push_unknownEnvOrMissingFile_exits1() throws Exception {
    Path file = config(ValidateCommandTest.STRICT);
    CliHarness cli = cli();

    CliHarness.Result unknownEnv = cli.store("push", "--config", file.toString(), "--env", "prod");
    CliHarness.Result missing = cli.store("push", "--config", dir.resolve("absent.yaml").toString());

    assertThat(unknownEnv.exit()).isEqualTo(1);
    assertThat(unknownEnv.err()).contains("unknown environment 'prod'");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file");
    assertThat(active(Map.of())).isEmpty();
  }

  @Test
  void push_toAnotherEnvironment_leavesDevelopmentAlone() throws Exception {
    Path file = config(ValidateCommandTest.STRICT);
    CliHarness cli = cli();
    cli.store("envs", "create", "staging");

    CliHarness.Result r = cli.store("push", "--config", file.toString(), "--env", "staging");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("pushed to staging");
    assertThat(active(Map.of())).isEmpty();
  }

  @Test
  void push_onPostgres_storesAndIsIdempotent() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      CliHarness cli = CliHarness.postgres(dir.resolve("data"), db);
      Path file = config(ValidateCommandTest.STRICT);

      CliHarness.Result first = cli.store("push", "--config", file.toString());
      CliHarness.Result again = cli.store("push", "--config", file.toString());

      assertThat(first.exit()).isZero();
      assertThat(again.outLines()).hasSize(1).allMatch(l -> l.startsWith("unchanged (sha256:"));
      assertThat(active(cli.environment())).map(ActiveConfig::yaml).contains(ValidateCommandTest.STRICT);
    }
  }
}
