package dev.lensgate.cli.demo;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.jwt.DevIssuer;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import java.time.Duration;
import java.util.Optional;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Sets up and runs everything {@code lensgate demo} shows: a fresh data directory, the embedded
 * {@code shop} source with sample rows, a local dev JWT issuer with its JWKS, the demo config, a
 * gateway, and one {@code pk_} and one {@code sk_} key. Used by the command and by the test that
 * runs the printed curl lines.
 */
public final class DemoEnvironment implements AutoCloseable {
  public static final String ISSUER = "lensgate-demo";
  /** The demo's own directory inside the operator's data dir. */
  public static final String DIR = "demo";
  /** The dev issuer's key file inside {@link #DIR}; {@code lensgate token mint} reads it. */
  public static final String ISSUER_FILE = "dev-issuer.json";

  private final Gateway gateway;
  private final Connection sourceKeepAlive;
  private final String publishableKey;
  private final String secretKey;
  private final Path demoDir;

  private DemoEnvironment(Gateway gateway, Connection sourceKeepAlive, String publishableKey, String secretKey, Path demoDir) {
    this.gateway = gateway;
    this.sourceKeepAlive = sourceKeepAlive;
    this.publishableKey = publishableKey;
    this.secretKey = secretKey;
    this.demoDir = demoDir;
  }

  /**
   * @param dataDir the operator's data dir; the demo lives in {@code <dataDir>/demo}, wiped first
   */
  /** The demo lens that is indexed for search and similar. */
  public static final String SEARCH_LENS = "products";

  public static DemoEnvironment start(Path dataDir, String host, int port, String version, Clock clock) {
    Path demoDir = dataDir.resolve(DIR);
    Connection keepAlive = null;
    Gateway gateway = null;
    try {
      wipe(demoDir);
      // Owner-only, like every data dir: it holds the master keyset and the dev issuer's key.
      Files.createDirectories(demoDir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      String sourceUrl = "jdbc:h2:mem:lensgate_demo_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";

      DevIssuer issuer = DevIssuer.generate(ISSUER, ISSUER, clock);
      issuer.save(demoDir.resolve(ISSUER_FILE));
      Path jwks = demoDir.resolve("jwks.json");
      issuer.writeJwks(jwks);

      String yaml = template()
          .replace("${JWKS_FILE}", jwks.toAbsolutePath().toString())
          .replace("${SOURCE_URL}", sourceUrl);
      Files.writeString(demoDir.resolve("lensgate.yaml"), yaml, StandardCharsets.UTF_8);

      // The demo's data dir gets a fresh master keyset; LENSGATE_DB_URL is ignored on purpose.
      GatewaySettings settings = GatewaySettings.defaults(demoDir, HttpSettings.plain(host, port), Map.of(), version);
      // The gateway (and its embedded metadata store) starts before the demo source is touched:
      // H2 fixes its bind address on first use, and the store needs it to be loopback.
      gateway = Gateway.start(settings, clock);
      // The in-memory source lives as long as this connection (and the demo process).
      keepAlive = DriverManager.getConnection(sourceUrl, "demo", "");
      DemoDataset.load(keepAlive, clock.instant());
      Environment env = gateway.store().defaultEnvironment();
      try (SecretBytes empty = SecretBytes.fromUtf8("")) {
        gateway.sources().connect(env.id(), "shop", sourceUrl, "demo", empty);
      }
      gateway.configs().push(env.id(), yaml);
      gateway.refreshConfigs();
      // Search needs an index: the demo queues the first full sync itself (a real deployment runs
      // `lensgate sync products` or `push --resume-ingest`).
      gateway.syncQueue().request(env.id(), SEARCH_LENS, SyncMode.FULL, SyncRequest.ORIGIN_CLI);
      CreatedKey pk = gateway.keys().create(KeyType.PK, env.id(), "demo browser key", Set.of());
      CreatedKey sk = gateway.keys().create(KeyType.SK, env.id(), "demo server key", Set.of());
      return new DemoEnvironment(gateway, keepAlive, reveal(pk), reveal(sk), demoDir);
    } catch (IOException e) {
      closeQuietly(gateway, keepAlive);
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      closeQuietly(gateway, keepAlive);
      throw new IllegalStateException("could not create the demo source", e);
    } catch (RuntimeException e) {
      closeQuietly(gateway, keepAlive);
      throw e;
    }
  }

  private static String reveal(CreatedKey key) {
    return key.plaintext().revealUtf8();
  }

  private static String template() throws IOException {
    try (InputStream in = DemoEnvironment.class.getResourceAsStream("/dev/lensgate/cli/demo/lensgate.demo.yaml")) {
      if (in == null) {
        throw new IOException("demo config template missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static void closeQuietly(Gateway gateway, Connection keepAlive) {
    if (gateway != null) {
      gateway.close();
    }
    if (keepAlive != null) {
      try {
        keepAlive.close();
      } catch (SQLException ignored) {
        // shutting down anyway
      }
    }
  }

  public Gateway gateway() { return gateway; }

  /**
   * Waits until the search index of {@link #SEARCH_LENS} is ready (the first start loads the local
   * embedding model, a few seconds).
   *
   * @return the final state: {@code ready}, or {@code error}/{@code disconnected}/still indexing when
   *     {@code timeout} passed first
   */
  public IndexState awaitSearchIndex(Duration timeout) throws InterruptedException {
    String envId = gateway.store().defaultEnvironment().id();
    long end = System.nanoTime() + timeout.toNanos();
    IndexState state = IndexState.PAUSED;
    while (System.nanoTime() < end) {
      Optional<LensIndexStatus> status = gateway.indexStates().get(envId, SEARCH_LENS);
      if (status.isPresent()) {
        state = status.get().state();
        if (state == IndexState.READY || state == IndexState.ERROR || state == IndexState.DISCONNECTED) {
          return state;
        }
      }
      Thread.sleep(100);
    }
    return state;
  }

  public int port() { return gateway.port(); }

  public String publishableKey() { return publishableKey; }

  public String secretKey() { return secretKey; }

  public Path demoDir() { return demoDir; }

  @Override
  public void close() {
    closeQuietly(gateway, sourceKeepAlive);
  }
}
