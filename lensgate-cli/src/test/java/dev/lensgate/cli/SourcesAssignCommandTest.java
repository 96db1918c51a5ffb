package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.SourceAssignmentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sources assign|unassign}, and the runner-local rules of {@code push} and {@code sources connect}. */
class SourcesAssignCommandTest {
  static final String CONFIG = String.join("\n",
      "stack: lensgate/v1",
      "sources:",
      "  airgap: { type: postgres, runners: [edge-1], credentials: runner-local }",
      "  plain: { type: postgres }",
      "lenses:",
      "  items:",
      "    source: airgap",
      "    table: items",
      "    primaryKey: id",
      "    fields:",
      "      id: { type: integer }",
      "  notes:",
      "    source: plain",
      "    table: notes",
      "    primaryKey: id",
      "    fields:",
      "      id: { type: integer }",
      "defaults:",
      "  grants: strict",
      "");
  private static final String PASSWORD = "Sentinel-pw-assign-4c1d";

  @TempDir
  Path dir;

  private CliHarness cli() {
    CliHarness cli = CliHarness.embedded(dir.resolve("data"));
    cli.store("runners", "create", "--name", "edge-1");
    cli.store("runners", "create", "--name", "edge-2");
    return cli;
  }

  private Path config(String text) throws Exception {
    Path p = dir.resolve("lensgate.yaml");
    Files.writeString(p, text);
    return p;
  }

  private Map<String, List<String>> assignments() {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir.resolve("data"), Map.of(), Clock.systemUTC())) {
      return new SourceAssignmentStore(store.dataSource(), Clock.systemUTC()).forEnvironment(store.defaultEnvironment().id());
    }
  }

  @Test
  void assign_existingRunners_storesThemAndSaysItOverridesTheConfig() throws Exception {
    CliHarness cli = cli();
    cli.store("push", "--config", config(CONFIG).toString());

    CliHarness.Result r = cli.store("sources", "assign", "plain", "--runners", "edge-2,edge-1");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("assigned source plain in development to runners edge-2, edge-1")
        .contains("overrides the config's runners: list");
    assertThat(r.err()).isEmpty();
    assertThat(assignments()).isEqualTo(Map.of("plain", List.of("edge-1", "edge-2")));
  }

  @Test
  void assign_unknownRunner_failsAndChangesNothing() {
    CliHarness cli = cli();
    cli.store("sources", "assign", "plain", "--runners", "edge-1");

    CliHarness.Result r = cli.store("sources", "assign", "plain", "--runners", "edge-2,edge-9");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no runner named edge-9").contains("nothing changed");
    assertThat(assignments()).isEqualTo(Map.of("plain", List.of("edge-1")));
  }

  @Test
  void assign_badNamesOrMissingRunners_areUsageErrors() {
    CliHarness cli = cli();

    assertThat(cli.store("sources", "assign", "plain", "--runners", "edge 1").exit()).isEqualTo(2);
    assertThat(cli.store("sources", "assign", "../plain", "--runners", "edge-1").exit()).isEqualTo(2);
    assertThat(cli.store("sources", "assign", "plain").exit()).isEqualTo(2);
    assertThat(cli.store("sources", "assign", "plain", "--runners", "edge-1", "--env", "nope").exit()).isEqualTo(1);
    assertThat(assignments()).isEmpty();
  }

  @Test
  void assign_sourceNotInTheActiveConfig_isStoredWithAWarning() {
    CliHarness.Result r = cli().store("sources", "assign", "later", "--runners", "edge-1");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("warning: the active config of development declares no source later");
    assertThat(assignments()).containsKey("later");
  }

  @Test
  void unassign_andEmptyRunners_removeTheAssignment_secondTimeFails() {
    CliHarness cli = cli();
    cli.store("sources", "assign", "plain", "--runners", "edge-1");

    CliHarness.Result removed = cli.store("sources", "unassign", "plain");
    CliHarness.Result again = cli.store("sources", "unassign", "plain");
    cli.store("sources", "assign", "plain", "--runners", "edge-1");
    CliHarness.Result viaEmpty = cli.store("sources", "assign", "plain", "--runners", "");

    assertThat(removed.exit()).isZero();
    assertThat(removed.out()).contains("follows the config's runners: list again");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("has no runner assignment");
    assertThat(viaEmpty.exit()).as(viaEmpty.err()).isZero();
    assertThat(assignments()).isEmpty();
  }

  @Test
  void push_switchingASourceToRunnerLocal_wipesItsStoredCredentialsAndSaysSo() throws Exception {
    CliHarness cli = cli();
    CliHarness.Result connected = cli.storeWithStdin(PASSWORD, "sources", "connect", "airgap",
        "--url", "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin");
    assertThat(connected.exit()).as(connected.err()).isZero();
    assertThat(sealedRows("airgap")).isEqualTo(1);

    CliHarness.Result pushed = cli.store("push", "--config", config(CONFIG).toString());

    assertThat(pushed.exit()).isZero();
    assertThat(pushed.err()).contains("wiped stored credentials of source airgap (runner-local)");
    assertThat(sealedRows("airgap")).as("ciphertext row gone from the metadata DB").isZero();
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void connect_runnerLocalSourceOfTheActiveConfig_isRefusedAndStoresNothing() throws Exception {
    CliHarness cli = cli();
    cli.store("push", "--config", config(CONFIG).toString());

    CliHarness.Result r = cli.storeWithStdin(PASSWORD, "sources", "connect", "airgap",
        "--url", "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin");
    CliHarness.Result managed = cli.storeWithStdin(PASSWORD, "sources", "connect", "plain",
        "--url", "jdbc:postgresql://db/notes", "--user", "app", "--password-stdin");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("source airgap is runner-local").contains("LENSGATE_SOURCE_AIRGAP_URL")
        .doesNotContain(PASSWORD);
    assertThat(sealedRows("airgap")).isZero();
    assertThat(managed.exit()).isZero();
    assertThat(sealedRows("plain")).isEqualTo(1);
  }

  private int sealedRows(String name) throws Exception {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir.resolve("data"), Map.of(), Clock.systemUTC());
        Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sources WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
