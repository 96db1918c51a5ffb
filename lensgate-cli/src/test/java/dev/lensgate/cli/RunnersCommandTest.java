package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.keys.ApiKeyFormat;
import dev.lensgate.server.store.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnersCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private CliHarness cli() {
    return CliHarness.embedded(dir);
  }

  private static String[] cols(CliHarness.Result list, String name) {
    return list.outLines().stream().map(l -> l.split("\\s{2,}")).filter(c -> c[1].equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no runner " + name + " in " + list.out()));
  }

  @Test
  void create_printsTheTokenOnceAloneOnStdoutAndListNeverShowsIt() throws Exception {
    CliHarness cli = cli();

    CliHarness.Result r = cli.store("runners", "create", "--name", "edge-1");
    CliHarness.Result text = cli.store("runners", "list");
    CliHarness.Result json = cli.store("runners", "list", "--json");

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(1);
    String token = r.outLines().get(0);
    assertThat(token).startsWith("rk_default_");
    assertThat(ApiKeyFormat.looksValid(token)).isTrue();
    assertThat(r.err()).contains("created runner edge-1 (id ").contains("shown only once").doesNotContain(token);
    String body = token.substring("rk_default_".length(), "rk_default_".length() + 20);
    for (CliHarness.Result l : List.of(text, json)) {
      assertThat(l.exit()).isZero();
      assertThat(l.all()).doesNotContain(body);
    }
    String[] c = cols(text, "edge-1");
    assertThat(c[0]).matches("[A-Za-z0-9]{16}");
    assertThat(r.err()).contains(c[0]);
    assertThat(c).containsExactly(c[0], "edge-1", "offline", "never", "-", "-", "active");
    JsonNode j = JSON.readTree(json.out()).get(0);
    assertThat(j.get("id").asText()).isEqualTo(c[0]);
    assertThat(j.get("status").asText()).isEqualTo("offline");
    assertThat(j.get("state").asText()).isEqualTo("active");
    assertThat(j.get("lastHeartbeatAt").isNull()).isTrue();
    assertThat(j.has("token")).isFalse();
    assertThat(Files.readString(dir.resolve("metadata.mv.db"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(body);
  }

  @Test
  void create_json_printsIdNameAndTokenInOneObject() throws Exception {
    CliHarness.Result r = cli().store("runners", "create", "--name", "edge-1", "--json");

    assertThat(r.exit()).isZero();
    JsonNode o = JSON.readTree(r.out());
    assertThat(o.get("name").asText()).isEqualTo("edge-1");
    assertThat(o.get("id").asText()).matches("[A-Za-z0-9]{16}");
    assertThat(o.get("token").asText()).startsWith("rk_default_");
  }

  @Test
  void create_badNameIsUsageError_duplicateFails() {
    CliHarness cli = cli();

    CliHarness.Result bad = cli.store("runners", "create", "--name", "../edge");
    CliHarness.Result missing = cli.store("runners", "create");
    cli.store("runners", "create", "--name", "edge-1");
    CliHarness.Result dup = cli.store("runners", "create", "--name", "edge-1");

    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("invalid runner name");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(dup.exit()).isEqualTo(1);
    assertThat(dup.err()).contains("already exists");
    assertThat(dup.out()).isEmpty();
    assertThat(cli.store("runners", "list").outLines()).hasSize(1);
  }

  @Test
  void list_heartbeatWithinTwoIntervals_isOnlineAndShowsVersionAndAssignedSources() throws Exception {
    CliHarness cli = cli();
    cli.store("runners", "create", "--name", "edge-1");
    cli.store("runners", "create", "--name", "edge-2");
    cli.store("runners", "create", "--name", "edge-3");
    Path config = dir.resolve("lensgate.yaml");
    Files.writeString(config, SourcesAssignCommandTest.CONFIG);
    assertThat(cli.store("push", "--config", config.toString()).exit()).isZero();
    assertThat(cli.store("sources", "assign", "plain", "--runners", "edge-2,edge-3").exit()).isZero();
    Instant now = Instant.now();
    heartbeat("edge-1", now.minusSeconds(10), "1.4.0");
    heartbeat("edge-2", now.minusSeconds(51), "1.3.9");

    CliHarness.Result list = cli.store("runners", "list");

    assertThat(cols(list, "edge-1")).containsSubsequence("online").contains("1.4.0", "development/airgap", "active");
    assertThat(cols(list, "edge-2")[2]).isEqualTo("offline");
    assertThat(cols(list, "edge-2")[5]).isEqualTo("development/plain");
    assertThat(cols(list, "edge-3")[5]).isEqualTo("development/plain");
  }

  @Test
  void revoke_twice_secondSaysAlreadyAndListShowsRevokedOffline() throws Exception {
    CliHarness cli = cli();
    cli.store("runners", "create", "--name", "edge-1");
    String id = cli.store("runners", "list").outLines().get(0).split("\\s+")[0];
    heartbeat("edge-1", Instant.now(), "1.0");

    CliHarness.Result first = cli.store("runners", "revoke", id);
    CliHarness.Result second = cli.store("runners", "revoke", id);

    assertThat(first.exit()).isZero();
    assertThat(first.out()).contains("revoked runner edge-1 (" + id + ")").doesNotContain("already");
    assertThat(second.exit()).isZero();
    assertThat(second.out()).contains("(it already was)");
    String[] c = cols(cli.store("runners", "list"), "edge-1");
    assertThat(c[2]).isEqualTo("offline");
    assertThat(c[6]).isEqualTo("revoked");
  }

  @Test
  void revoke_unknownMalformedOrTokenId_failsWithoutEchoingSecrets() {
    CliHarness cli = cli();
    String token = cli.store("runners", "create", "--name", "edge-1").outLines().get(0);

    CliHarness.Result unknown = cli.store("runners", "revoke", "NoSuchRunner0000");
    CliHarness.Result malformed = cli.store("runners", "revoke", "no such/runner");
    CliHarness.Result pasted = cli.store("runners", "revoke", token);
    CliHarness.Result missing = cli.store("runners", "revoke");

    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no runner with id 'NoSuchRunner0000'");
    assertThat(malformed.exit()).isEqualTo(1);
    assertThat(malformed.err()).contains("no such runner").doesNotContain("runner/");
    assertThat(pasted.exit()).isEqualTo(1);
    assertThat(pasted.err()).contains("that is a token").doesNotContain(token);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(cols(cli.store("runners", "list"), "edge-1")[6]).isEqualTo("active");
  }

  @Test
  void keysRotate_onRunnerKey_runnerKeepsItsIdAndStaysActive() throws Exception {
    CliHarness cli = cli();
    String oldToken = cli.store("runners", "create", "--name", "edge-1").outLines().get(0);
    String runnerId = cli.store("runners", "list").outLines().get(0).split("\\s+")[0];
    // rk_ keys are org-scoped, so keys list (per env) does not show them; runners list --json does.
    String keyId = JSON.readTree(cli.store("runners", "list", "--json").out()).get(0).get("keyId").asText();
    assertThat(keyId).isEqualTo(runnerKeyId(runnerId));

    CliHarness.Result rotated = cli.store("keys", "rotate", keyId);

    assertThat(rotated.exit()).as(rotated.err()).isZero();
    String newToken = rotated.outLines().get(0);
    assertThat(newToken).startsWith("rk_default_").isNotEqualTo(oldToken);
    assertThat(runnerKeyId(runnerId)).isNotEqualTo(keyId);
    assertThat(cols(cli.store("runners", "list"), "edge-1")).contains(runnerId, "active");
  }

  @Test
  void createListAssignRevoke_onPostgres_work() throws Exception {
    try (dev.lensgate.testkit.TestDatabase db = dev.lensgate.testkit.TestDatabase.postgres()) {
      CliHarness cli = CliHarness.postgres(dir, db);

      CliHarness.Result created = cli.store("runners", "create", "--name", "edge-1");
      CliHarness.Result assigned = cli.store("sources", "assign", "shop", "--runners", "edge-1");
      String id = cli.store("runners", "list").outLines().get(0).split("\\s+")[0];
      CliHarness.Result list = cli.store("runners", "list");
      CliHarness.Result revoked = cli.store("runners", "revoke", id);

      assertThat(created.exit()).as(created.err()).isZero();
      assertThat(created.out()).startsWith("rk_default_");
      assertThat(assigned.exit()).as(assigned.err()).isZero();
      assertThat(list.out()).contains("development/shop").doesNotContain(created.outLines().get(0));
      assertThat(revoked.exit()).isZero();
      assertThat(cli.store("runners", "list").out()).contains("revoked");
    }
  }

  private String runnerKeyId(String runnerId) {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir, Map.of(), Clock.systemUTC());
        Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT key_id FROM runners WHERE id = ?")) {
      ps.setString(1, runnerId);
      try (var rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private void heartbeat(String name, Instant at, String version) throws Exception {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir, Map.of(), Clock.systemUTC());
        Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE runners SET last_heartbeat_at = ?, version = ? WHERE name = ?")) {
      ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      ps.setString(2, version);
      ps.setString(3, name);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
