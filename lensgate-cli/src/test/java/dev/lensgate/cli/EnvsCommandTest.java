package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void list_freshStore_showsDevelopmentWithIdFirst() {
    CliHarness cli = CliHarness.embedded(dir.resolve("data"));

    CliHarness.Result r = cli.store("envs", "list");

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(1);
    String[] columns = r.outLines().get(0).split("\\s{2,}");
    assertThat(columns[0]).matches("[A-Za-z0-9]{16}");
    assertThat(columns[1]).isEqualTo("development");
    assertThat(columns[2]).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
  }

  @Test
  void create_newSlug_isListedInTextAndJson() throws Exception {
    CliHarness cli = CliHarness.embedded(dir);

    CliHarness.Result created = cli.store("envs", "create", "staging");
    CliHarness.Result text = cli.store("envs", "list");
    CliHarness.Result json = cli.store("envs", "list", "--json");

    assertThat(created.exit()).isZero();
    assertThat(created.out()).startsWith("created environment staging (");
    assertThat(text.outLines()).extracting(l -> l.split("\\s+")[1]).containsExactly("development", "staging");
    JsonNode array = JSON.readTree(json.out());
    assertThat(array.isArray()).isTrue();
    assertThat(array).extracting(n -> n.get("slug").asText()).containsExactly("development", "staging");
    assertThat(array.get(1).get("id").asText()).isEqualTo(text.outLines().get(1).split("\\s+")[0]);
  }

  @Test
  void create_existingSlug_failsWithExit1() {
    CliHarness cli = CliHarness.embedded(dir);

    CliHarness.Result r = cli.store("envs", "create", "development");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("already exists");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void create_invalidSlug_isUsageErrorAndCreatesNothing() {
    CliHarness cli = CliHarness.embedded(dir);

    CliHarness.Result upper = cli.store("envs", "create", "Staging");
    CliHarness.Result spaces = cli.store("envs", "create", "a b");
    CliHarness.Result leadingDash = cli.store("envs", "create", "-x");

    assertThat(upper.exit()).isEqualTo(2);
    assertThat(upper.err()).contains("invalid environment name");
    assertThat(spaces.exit()).isEqualTo(2);
    assertThat(leadingDash.exit()).isEqualTo(2);
    assertThat(cli.store("envs", "list").outLines()).hasSize(1);
  }

  @Test
  void envs_withoutSubcommandOrWithUnknownOption_isUsageError() {
    CliHarness cli = CliHarness.embedded(dir);

    assertThat(cli.run("envs").exit()).isEqualTo(2);
    assertThat(cli.store("envs", "list", "--bogus").exit()).isEqualTo(2);
    assertThat(cli.run("envs", "create").exit()).isEqualTo(2);
  }

  @Test
  void lensgate_withoutCommand_isUsageError() {
    assertThat(CliHarness.embedded(dir).run().exit()).isEqualTo(2);
  }

  @Test
  void createAndList_onPostgres_work() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      CliHarness cli = CliHarness.postgres(dir, db);

      assertThat(cli.store("envs", "create", "prod").exit()).isZero();
      CliHarness.Result dup = cli.store("envs", "create", "prod");
      CliHarness.Result list = cli.store("envs", "list", "--json");

      assertThat(dup.exit()).isEqualTo(1);
      assertThat(JSON.readTree(list.out())).extracting(n -> n.get("slug").asText())
          .containsExactly("development", "prod");
    }
  }

  @Test
  void open_unreachablePostgres_failsWithExit1WithoutEchoingCredentials() {
    CliHarness cli = CliHarness.embedded(dir).withEnvironment(java.util.Map.of(
        "LENSGATE_DB_URL", "jdbc:postgresql://127.0.0.1:1/nowhere?sslmode=disable&options=zz-secret-opt",
        "LENSGATE_DB_USER", "nobody",
        "LENSGATE_DB_PASSWORD", "zz-secret-pw"));

    CliHarness.Result r = cli.store("envs", "list");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot open LENSGATE_DB_URL");
    assertThat(r.all()).doesNotContain("zz-secret-pw").doesNotContain("zz-secret-opt");
  }
}
