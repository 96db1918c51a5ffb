package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.client.LensgateClient;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedRunner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real gateway in this JVM for the runner's end-to-end tests: plain HTTP on loopback, port 0, a
 * temporary data directory (embedded H2 metadata store), no rate limiting and no background config
 * refresh (tests activate pushed configs themselves). The gateway module's own harness is
 * package-private to its tests, so this is a small one of our own.
 */
final class E2eGateway implements AutoCloseable {
  private final Gateway gateway;
  private final String secretKey;

  private E2eGateway(Gateway gateway) {
    this.gateway = gateway;
    this.secretKey = gateway.keys().create(KeyType.SK, envId(), "e2e-sk", Set.of()).plaintext().revealUtf8();
  }

  /** @param env gateway settings such as {@code LENSGATE_RUNNER_JOB_DEADLINE_MS} */
  static E2eGateway start(Path dataDir, Map<String, String> env) {
    return startOn(dataDir, 0, env);
  }

  /** On a given port: a restarted gateway must be where its runners dial. */
  static E2eGateway startOn(Path dataDir, int port, Map<String, String> env) {
    GatewaySettings settings = new GatewaySettings(dataDir, HttpSettings.plain("127.0.0.1", port), env,
        0, 0, Duration.ZERO, "runner-e2e");
    return new E2eGateway(Gateway.start(settings, Clock.systemUTC()));
  }

  /**
   * With TLS: the main port speaks only HTTPS and {@code wss://} with the PKCS#12 {@code keystore}
   * (no plain redirect port). {@link #client()} does not apply (it speaks plain HTTP).
   */
  static E2eGateway startTls(Path dataDir, Path keystore, char[] password, Map<String, String> env) {
    HttpSettings http = HttpSettings.plain("127.0.0.1", 0).withTls(new HttpSettings.Tls(keystore, password, -1));
    GatewaySettings settings = new GatewaySettings(dataDir, http, env, 0, 0, Duration.ZERO, "runner-e2e");
    return new E2eGateway(Gateway.start(settings, Clock.systemUTC()));
  }

  Gateway gateway() { return gateway; }

  int port() { return gateway.port(); }

  String orgId() { return gateway.store().defaultOrg().id(); }

  String envId() { return gateway.store().defaultEnvironment().id(); }

  /** A runner identity of the default org; its {@code rk_} token is in the answer once. */
  CreatedRunner createRunner(String name) {
    return gateway.runners().create(orgId(), name);
  }

  /** Validates first, so a typo fails here with its problems rather than as a silent no-op. */
  void push(String yaml) {
    assertThat(ConfigLoader.parse(yaml, "e2e.yaml").errors()).as("config problems").isEmpty();
    gateway.configs().push(envId(), yaml);
    gateway.refreshConfigs();
  }

  /** Stores managed (envelope-encrypted) credentials for {@code source}. */
  void connect(String source, String jdbcUrl, String user, String password) {
    try (SecretBytes pw = SecretBytes.fromUtf8(password)) {
      gateway.sources().connect(envId(), source, jdbcUrl, user, pw);
    }
  }

  LensgateClient client() {
    return LensgateClient.builder().baseUrl("http://127.0.0.1:" + port()).apiKey(secretKey)
        .timeout(Duration.ofSeconds(30)).build();
  }

  /** Every row of a metadata table (its exact, quoted name), each rendered as one line of its column values. */
  List<String> tableRows(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = gateway.store().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  /** Names of every table of the metadata store (H2's PUBLIC schema). */
  List<String> metadataTables() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = gateway.store().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Override
  public void close() {
    gateway.close();
  }
}
