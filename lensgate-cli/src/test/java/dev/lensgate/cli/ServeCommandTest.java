package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config checks {@code serve} makes before it starts anything; a started gateway would block the test. */
class ServeCommandTest {
  @TempDir
  Path dir;

  private CliHarness.Result serve(Path config) {
    return CliHarness.embedded(dir).run("serve", "--config", config.toString(), "--port", "0",
        "--data-dir", dir.resolve("data").toString());
  }

  @Test
  void serve_configWithErrors_exits1WithEveryProblemAndStartsNothing() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, ValidateCommandTest.BROKEN);

    CliHarness.Result r = serve(file);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("error: " + file + ":").contains("lenses.notes.source")
        .contains("lenses.notes.fields.id.type").contains("nothing was served");
    assertThat(r.out()).isEmpty();
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void serve_missingConfig_exits1NamingIt() {
    CliHarness.Result r = serve(dir.resolve("nope.yaml"));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("nope.yaml: no such file");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
