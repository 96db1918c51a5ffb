package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.SourceCredentials;
import dev.lensgate.server.store.SourceStore;
import dev.lensgate.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesCommandTest {
  /** A sentinel that must never show up in output or in clear in the store. */
  private static final String PASSWORD = "Sentinel-pw-7f3a9c-\u00e9t\u00e9";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private CliHarness cli() {
    return CliHarness.embedded(dir);
  }

  @Test
  void connect_passwordFromStdin_storesItSealedAndNeverPrintsIt() throws Exception {
    CliHarness cli = cli();

    CliHarness.Result r = cli.storeWithStdin(PASSWORD + "\n", "sources", "connect", "shop",
        "--url", "jdbc:postgresql://db.internal:5432/shop?sslmode=require", "--user", "app", "--password-stdin");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("connected source shop in development (jdbc:postgresql://db.internal:5432/shop, user app)");
    assertThat(r.all()).doesNotContain(PASSWORD).doesNotContain("sslmode");
    assertThat(decryptedPassword("shop")).isEqualTo(PASSWORD);
    assertThat(everyCellOfTheStore()).doesNotContain(PASSWORD);
    assertThat(filesUnder(dir)).doesNotContain(PASSWORD);
  }

  @Test
  void connect_crlfTerminatedStdin_dropsOnlyTheLineBreak() throws Exception {
    CliHarness cli = cli();

    cli.storeWithStdin(" spaced pw \r\n", "sources", "connect", "shop", "--url", "jdbc:postgresql://db/shop",
        "--user", "app", "--password-stdin");

    assertThat(decryptedPassword("shop")).isEqualTo(" spaced pw ");
  }

  @Test
  void connect_again_replacesTheCredentials() throws Exception {
    CliHarness cli = cli();
    cli.storeWithStdin("old-pw", "sources", "connect", "shop", "--url", "jdbc:postgresql://db/shop", "--user", "a",
        "--password-stdin");

    CliHarness.Result r = cli.storeWithStdin("new-pw", "sources", "connect", "shop", "--url",
        "jdbc:postgresql://db2/shop", "--user", "b", "--password-stdin");

    assertThat(r.exit()).isZero();
    assertThat(decryptedPassword("shop")).isEqualTo("new-pw");
    assertThat(cli.store("sources", "list").outLines()).hasSize(1).allMatch(l -> l.contains("db2") && l.contains(" b "));
  }

  @Test
  void connect_withoutPasswordMode_orWithBoth_isUsageError() {
    CliHarness cli = cli();

    CliHarness.Result neither = cli.storeWithStdin(PASSWORD, "sources", "connect", "shop", "--url",
        "jdbc:postgresql://db/shop", "--user", "app");
    CliHarness.Result both = cli.storeWithStdin(PASSWORD, "sources", "connect", "shop", "--url",
        "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin", "--no-password");

    assertThat(neither.exit()).isEqualTo(2);
    assertThat(both.exit()).isEqualTo(2);
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void connect_passwordInArgv_isRefusedWithoutEchoingIt() {
    CliHarness cli = cli();

    CliHarness.Result r = cli.store("sources", "connect", "shop", "--url", "jdbc:postgresql://db/shop",
        "--user", "app", "--password", PASSWORD);
    CliHarness.Result eq = cli.store("sources", "connect", "shop", "--url", "jdbc:postgresql://db/shop",
        "--user", "app", "--password=" + PASSWORD);

    for (CliHarness.Result res : new CliHarness.Result[] {r, eq}) {
      assertThat(res.exit()).isEqualTo(2);
      assertThat(res.err()).contains("use --password-stdin");
      assertThat(res.all()).doesNotContain(PASSWORD);
    }
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void connect_emptyStdin_isRefusedUnlessNoPassword() throws Exception {
    CliHarness cli = cli();

    CliHarness.Result empty = cli.storeWithStdin("\n", "sources", "connect", "shop", "--url",
        "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin");
    CliHarness.Result none = cli.store("sources", "connect", "shop", "--url", "jdbc:postgresql://db/shop",
        "--user", "app", "--no-password");

    assertThat(empty.exit()).isEqualTo(1);
    assertThat(empty.err()).contains("empty password").contains("--no-password");
    assertThat(none.exit()).isZero();
    assertThat(decryptedPassword("shop")).isEmpty();
  }

  @Test
  void connect_oversizedStdin_isRefused() {
    CliHarness.Result r = cli().storeWithStdin("x".repeat(PasswordInput.MAX_PASSWORD_BYTES + 1), "sources",
        "connect", "shop", "--url", "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("longer than 1024 bytes");
  }

  @Test
  void connect_urlCarryingAPassword_isRefusedWithoutEchoingIt() {
    CliHarness cli = cli();

    CliHarness.Result r = cli.storeWithStdin("pw", "sources", "connect", "shop", "--url",
        "jdbc:postgresql://db/shop?user=app&password=" + PASSWORD, "--user", "app", "--password-stdin");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.all()).doesNotContain(PASSWORD).contains("must not contain a password");
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void connect_badNameOrUnknownEnv_failsAndStoresNothing() {
    CliHarness cli = cli();

    CliHarness.Result badName = cli.storeWithStdin("pw", "sources", "connect", "shop;drop", "--url",
        "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin");
    CliHarness.Result unknownEnv = cli.storeWithStdin("pw", "sources", "connect", "shop", "--url",
        "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin", "--env", "prod");

    assertThat(badName.exit()).isEqualTo(2);
    assertThat(unknownEnv.exit()).isEqualTo(1);
    assertThat(unknownEnv.err()).contains("unknown environment 'prod'");
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void connect_testAgainstReachableDatabase_reportsOkAndStores() throws Exception {
    CliHarness cli = cli();
    String url = "jdbc:h2:mem:probe_" + System.nanoTime();

    CliHarness.Result r = cli.storeWithStdin(PASSWORD, "sources", "connect", "probe", "--url", url,
        "--user", "sa", "--password-stdin", "--test");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("connection ok: H2");
    assertThat(r.all()).doesNotContain(PASSWORD);
    assertThat(decryptedPassword("probe")).isEqualTo(PASSWORD);
  }

  @Test
  void connect_testAgainstUnreachableDatabase_failsWithoutSecretsAndStoresNothing() {
    CliHarness cli = cli();

    CliHarness.Result r = cli.storeWithStdin(PASSWORD, "sources", "connect", "shop", "--url",
        "jdbc:postgresql://127.0.0.1:1/shop?sslmode=disable&applicationName=zz-query-part", "--user", "app",
        "--password-stdin", "--test");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("connection test failed, nothing stored");
    assertThat(r.all()).doesNotContain(PASSWORD).doesNotContain("zz-query-part").doesNotContain("sslmode");
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void listAndRemove_showNoSecretsAndRemoveOnlyExisting() throws Exception {
    CliHarness cli = cli();
    cli.storeWithStdin(PASSWORD, "sources", "connect", "shop", "--url", "jdbc:postgresql://db/shop?ssl=true",
        "--user", "app", "--password-stdin");

    CliHarness.Result text = cli.store("sources", "list");
    CliHarness.Result json = cli.store("sources", "list", "--json");
    CliHarness.Result removed = cli.store("sources", "remove", "shop");
    CliHarness.Result again = cli.store("sources", "remove", "shop");

    assertThat(text.outLines()).hasSize(1);
    String[] cols = text.outLines().get(0).split("\\s{2,}");
    assertThat(cols[0]).matches("[A-Za-z0-9]{16}");
    assertThat(cols[1]).isEqualTo("shop");
    assertThat(cols[2]).isEqualTo("jdbc:postgresql://db/shop");
    JsonNode s = JSON.readTree(json.out()).get(0);
    assertThat(s.get("name").asText()).isEqualTo("shop");
    assertThat(s.has("password")).isFalse();
    assertThat(text.all() + json.all()).doesNotContain(PASSWORD);
    assertThat(removed.exit()).isZero();
    assertThat(again.exit()).isEqualTo(1);
    assertThat(cli.store("sources", "list").out()).isEmpty();
  }

  @Test
  void connectAndList_onPostgres_storeSealedPassword() throws Exception {
    try (TestDatabase db = TestDatabase.postgres()) {
      CliHarness cli = CliHarness.postgres(dir, db);

      CliHarness.Result r = cli.storeWithStdin(PASSWORD, "sources", "connect", "shop", "--url",
          "jdbc:postgresql://db/shop", "--user", "app", "--password-stdin");
      CliHarness.Result list = cli.store("sources", "list");

      assertThat(r.exit()).isZero();
      assertThat(list.outLines()).hasSize(1);
      assertThat(r.all() + list.all()).doesNotContain(PASSWORD);
      try (Connection c = db.connect(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT password_sealed, jdbc_url, db_user FROM sources")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isNotBlank().doesNotContain(PASSWORD);
      }
      try (MetadataStore store = MetadataStore.openFromEnvironment(dir, cli.environment(), Clock.systemUTC())) {
        SourceStore sources = new SourceStore(store.dataSource(),
            MasterKeys.fromEnvironmentValue(cli.environment().get(MasterKeys.ENV_VAR)).envelope(), Clock.systemUTC());
        assertThat(sources.credentials(store.defaultEnvironment().id(), "shop").orElseThrow().password().revealUtf8())
            .isEqualTo(PASSWORD);
      }
    }
  }

  private String decryptedPassword(String name) {
    try (MetadataStore store = MetadataStore.openFromEnvironment(dir, Map.of(), Clock.systemUTC())) {
      SourceStore sources = new SourceStore(store.dataSource(), MasterKeys.loadOrCreateFile(dir).envelope(),
          Clock.systemUTC());
      Optional<SourceCredentials> creds = sources.credentials(store.defaultEnvironment().id(), name);
      return creds.orElseThrow().password().revealUtf8();
    }
  }

  /** Every cell of every table of the embedded store, as text. */
  private String everyCellOfTheStore() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("metadata"), "sa", "");
        Statement st = c.createStatement()) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).isNotEmpty();
      for (String t : tables) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + t + "\"")) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              all.append(rs.getString(i)).append('\n');
            }
          }
        }
      }
    }
    return all.toString();
  }

  /** The bytes of every file under {@code root} decoded as Latin-1 and UTF-8 (raw secret search). */
  private static String filesUnder(Path root) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] bytes = Files.readAllBytes(f);
        all.append(new String(bytes, StandardCharsets.ISO_8859_1)).append(new String(bytes, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }
}
