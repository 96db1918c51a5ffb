package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandGroupTest {
  @TempDir
  Path dir;

  @Test
  void group_withoutSubcommand_isUsageErrorNamingItsSubcommandsInOrder() {
    CliHarness cli = CliHarness.embedded(dir);

    assertThat(cli.run("keys")).satisfies(r -> {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("a subcommand is required (create, list, revoke, rotate)");
      assertThat(r.out()).isEmpty();
    });
    assertThat(cli.run("sources").err()).contains("a subcommand is required (connect, list, remove, assign, unassign)");
    assertThat(cli.run("runners").err()).contains("a subcommand is required (create, list, revoke)");
    assertThat(cli.run("ledger").err()).contains("a subcommand is required (export)");
    assertThat(cli.run("envs").err()).contains("a subcommand is required (create, list)");
    assertThat(cli.run("token").err()).contains("a subcommand is required (mint)");
  }

  @Test
  void group_withUnknownSubcommand_isUsageError() {
    CliHarness.Result r = CliHarness.embedded(dir).run("keys", "delete");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("a subcommand is required");
  }
}
