package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.keys.ApiKeyFormat;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.ParsedApiKey;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private CliHarness cli() {
    return CliHarness.embedded(dir);
  }

  private static String row(CliHarness.Result list, String id) {
    return list.outLines().stream().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
  }

  @Test
  void create_pk_printsOnlyTheKeyOnStdoutAndHumanTextOnStderr() {
    CliHarness.Result r = cli().store("keys", "create", "--type", "pk", "--name", "web");

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(1);
    String key = r.outLines().get(0);
    assertThat(key).startsWith("pk_development_");
    assertThat(ApiKeyFormat.looksValid(key)).isTrue();
    assertThat(r.err()).contains("created pk key").contains("shown only once").doesNotContain(key);
  }

  @Test
  void create_key_isVerifiableWithTheDataDirMasterKeyAsTheGatewayWould() throws Exception {
    CliHarness cli = cli();
    String key = cli.store("keys", "create", "--type", "sk").outLines().get(0);
    String id = cli.store("keys", "list").outLines().get(0).split("\\s+")[0];

    String stored = storedHmac(id);

    KeyHasher hasher = new KeyHasher(MasterKeys.loadOrCreateFile(dir));
    assertThat(stored).isEqualTo(hasher.hashForStorage(KeyType.SK, key));
    assertThat(stored).isNotEqualTo(hasher.hashForStorage(KeyType.PK, key));
  }

  @Test
  void create_lpWithScopes_storesBcryptOfTheSecretAndListsSortedScopes() throws Exception {
    CliHarness cli = cli();
    CliHarness.Result r = cli.store("keys", "create", "--type", "lp", "--scopes", "products:similar,products:search");
    String key = r.outLines().get(0);
    ParsedApiKey parsed = ApiKeyFormat.parse(key).orElseThrow();
    String id = parsed.partnerKeyId().orElseThrow();

    CliHarness.Result list = cli.store("keys", "list");

    assertThat(r.exit()).isZero();
    assertThat(row(list, id)).contains(" lp ").endsWith("products:search,products:similar");
    String hash = storedBcrypt(id);
    assertThat(PartnerSecretHasher.bcrypt().verify(parsed.partnerSecret(), hash)).isTrue();
    assertThat(hash).doesNotContain(key.substring(key.indexOf('.') + 1));
  }

  @Test
  void list_neverShowsThePlaintextOnlyPrefixAndLast4() throws Exception {
    CliHarness cli = cli();
    String key = cli.store("keys", "create", "--type", "ik", "--name", "nightly import").outLines().get(0);

    CliHarness.Result text = cli.store("keys", "list");
    CliHarness.Result json = cli.store("keys", "list", "--json");

    String body = key.substring("ik_development_".length());
    for (CliHarness.Result r : List.of(text, json)) {
      assertThat(r.exit()).isZero();
      assertThat(r.all()).doesNotContain(key).doesNotContain(body.substring(0, 20));
    }
    String line = text.outLines().get(0);
    String[] cols = line.split("\\s{2,}");
    assertThat(cols[0]).matches("[A-Za-z0-9]{16}");
    assertThat(cols[1]).isEqualTo("ik");
    assertThat(cols[2]).isEqualTo("\"nightly import\"");
    assertThat(cols[3]).isEqualTo("ik_development_\u2026" + key.substring(key.length() - 4));
    assertThat(cols[5]).isEqualTo("never");
    assertThat(cols[6]).isEqualTo("active");
    JsonNode k = JSON.readTree(json.out()).get(0);
    assertThat(k.get("id").asText()).isEqualTo(cols[0]);
    assertThat(k.get("env").asText()).isEqualTo("development");
    assertThat(k.get("name").asText()).isEqualTo("nightly import");
    assertThat(k.get("state").asText()).isEqualTo("active");
    assertThat(k.get("lastUsedAt").isNull()).isTrue();
  }

  @Test
  void list_otherEnvironment_showsOnlyItsKeys() {
    CliHarness cli = cli();
    cli.store("envs", "create", "staging");
    cli.store("keys", "create", "--type", "pk");
    String stagingKey = cli.store("keys", "create", "--type", "pk", "--env", "staging").outLines().get(0);

    CliHarness.Result staging = cli.store("keys", "list", "--env", "staging");

    assertThat(staging.outLines()).hasSize(1);
    assertThat(staging.out()).contains("pk_staging_\u2026" + stagingKey.substring(stagingKey.length() - 4));
  }

  @Test
  void create_badUsage_exits2AndMintsNothing() {
    CliHarness cli = cli();

    assertThat(cli.store("keys", "create", "--type", "lp").exit()).isEqualTo(2);
    assertThat(cli.store("keys", "create", "--type", "sk", "--scopes", "products:search").exit()).isEqualTo(2);
    assertThat(cli.store("keys", "create", "--type", "lp", "--scopes", "products:delete").exit()).isEqualTo(2);
    CliHarness.Result rk = cli.store("keys", "create", "--type", "rk");
    assertThat(rk.exit()).isEqualTo(2);
    assertThat(rk.err()).contains("runners create");
    assertThat(cli.store("keys", "create", "--type", "xx").exit()).isEqualTo(2);
    assertThat(cli.store("keys", "create").exit()).isEqualTo(2);
    assertThat(cli.store("keys", "list").out()).isEmpty();
  }

  @Test
  void create_unknownEnvironment_exits1WithClearMessage() {
    CliHarness.Result r = cli().store("keys", "create", "--type", "pk", "--env", "nope");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("unknown environment 'nope'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void revoke_knownId_marksRevokedAndIsIdempotent() {
    CliHarness cli = cli();
    cli.store("keys", "create", "--type", "pk");
    String id = cli.store("keys", "list").outLines().get(0).split("\\s+")[0];

    CliHarness.Result first = cli.store("keys", "revoke", id);
    CliHarness.Result second = cli.store("keys", "revoke", id);

    assertThat(first.exit()).isZero();
    assertThat(first.out()).isEqualTo("revoked " + id + System.lineSeparator());
    assertThat(second.exit()).isZero();
    assertThat(second.out()).contains("already");
    assertThat(row(cli.store("keys", "list"), id)).contains("revoked");
  }

  @Test
  void revoke_unknownId_exits1() {
    CliHarness.Result r = cli().store("keys", "revoke", "AAAAAAAAAAAAAAAA");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no key with id 'AAAAAAAAAAAAAAAA'");
  }

  @Test
  void revoke_pastedPlaintextInsteadOfId_exits1WithoutEchoingIt() {
    CliHarness cli = cli();
    String key = cli.store("keys", "create", "--type", "sk").outLines().get(0);

    CliHarness.Result r = cli.store("keys", "revoke", key);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.all()).doesNotContain(key).contains("not a key id");
  }

  @Test
  void rotate_withGrace_printsNewKeyOnceAndKeepsOldRotating() {
    CliHarness cli = cli();
    String oldKey = cli.store("keys", "create", "--type", "pk", "--name", "web").outLines().get(0);
    String oldId = cli.store("keys", "list").outLines().get(0).split("\\s+")[0];

    CliHarness.Result r = cli.store("keys", "rotate", oldId, "--grace", "1h");

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(1);
    String newKey = r.outLines().get(0);
    assertThat(ApiKeyFormat.looksValid(newKey)).isTrue();
    assertThat(newKey).isNotEqualTo(oldKey).startsWith("pk_development_");
    assertThat(r.err()).contains("rotated " + oldId).contains("works until").doesNotContain(newKey);
    CliHarness.Result list = cli.store("keys", "list");
    assertThat(list.outLines()).hasSize(2);
    assertThat(row(list, oldId)).contains("rotating-until-");
    assertThat(list.all()).doesNotContain(newKey).doesNotContain(oldKey);
  }

  @Test
  void rotate_withoutGrace_revokesOldAtOnce_andRotatingAgainFails() {
    CliHarness cli = cli();
    cli.store("keys", "create", "--type", "sk");
    String oldId = cli.store("keys", "list").outLines().get(0).split("\\s+")[0];

    CliHarness.Result r = cli.store("keys", "rotate", oldId);
    CliHarness.Result again = cli.store("keys", "rotate", oldId);

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("revoked now");
    assertThat(row(cli.store("keys", "list"), oldId)).contains("revoked");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).isEmpty();
  }

  @Test
  void rotate_badGrace_isUsageError() {
    CliHarness cli = cli();
    cli.store("keys", "create", "--type", "sk");
    String id = cli.store("keys", "list").outLines().get(0).split("\\s+")[0];

    assertThat(cli.store("keys", "rotate", id, "--grace", "soon").exit()).isEqualTo(2);
    assertThat(cli.store("keys", "rotate", id, "--grace", "-1h").exit()).isEqualTo(2);
    CliHarness.Result tooLong = cli.store("keys", "rotate", id, "--grace", "31d");
    assertThat(tooLong.exit()).isEqualTo(2);
    assertThat(tooLong.err()).contains("--grace must be at most 30d");
    assertThat(row(cli.store("keys", "list"), id)).contains("active");
  }

  @Test
  void createListRevoke_onPostgres_work() {
    try (TestDatabase db = TestDatabase.postgres()) {
      CliHarness cli = CliHarness.postgres(dir, db);

      String key = cli.store("keys", "create", "--type", "pk").outLines().get(0);
      CliHarness.Result list = cli.store("keys", "list");
      String id = list.outLines().get(0).split("\\s+")[0];
      CliHarness.Result revoke = cli.store("keys", "revoke", id);

      assertThat(key).startsWith("pk_development_");
      assertThat(list.all()).doesNotContain(key);
      assertThat(revoke.exit()).isZero();
      assertThat(row(cli.store("keys", "list"), id)).contains("revoked");
    }
  }

  @Test
  void create_onPostgresWithoutMasterKey_refusesInsteadOfInventingOne() {
    try (TestDatabase db = TestDatabase.postgres()) {
      CliHarness pg = CliHarness.postgres(dir, db);
      java.util.Map<String, String> env = new java.util.HashMap<>(pg.environment());
      env.remove(MasterKeys.ENV_VAR);

      CliHarness.Result r = pg.withEnvironment(env).store("keys", "create", "--type", "pk");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("no master key");
      assertThat(r.out()).isEmpty();
      assertThat(dir.resolve(MasterKeys.KEYSET_FILE)).doesNotExist();
    }
  }

  private String storedHmac(String id) throws Exception {
    return column("SELECT secret_hmac FROM api_keys WHERE id = ?", id);
  }

  private String storedBcrypt(String id) throws Exception {
    return column("SELECT secret_bcrypt FROM api_keys WHERE id = ?", id);
  }

  private String column(String sql, String id) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("metadata"), "sa", "");
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }
}
