package dev.lensgate.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lensgate.core.crypto.SecretBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The gateway's metadata database: a HikariCP pool, migrated by Flyway on open, with the default
 * organization and its {@code development} environment guaranteed to exist.
 *
 * <p>Embedded H2 ({@code <dataDir>/metadata.mv.db}) unless a PostgreSQL URL is given. The same
 * portable migrations ({@code classpath:db/migration/metadata}) run on both. Against PostgreSQL,
 * Flyway works in the connection's current schema (e.g. {@code ?currentSchema=…}).
 *
 * <p>The embedded database is shared by the processes working on one data dir (a gateway and the
 * operator commands run beside it) through H2's automatic mixed mode: the first process serves the
 * others on a loopback-only TCP port advertised in {@code metadata.lock.db}. See {@link EmbeddedH2}
 * for when that is enabled and why it is safe; when it is not, the first process has the file to
 * itself and a second one fails to open it.
 */
public final class MetadataStore implements AutoCloseable {
  public static final String DEFAULT_ORG_SLUG = "default";
  public static final String DEFAULT_ENV_SLUG = "development";
  public static final String ENV_DB_URL = "LENSGATE_DB_URL";
  public static final String ENV_DB_USER = "LENSGATE_DB_USER";
  public static final String ENV_DB_PASSWORD = "LENSGATE_DB_PASSWORD";
  static final String MIGRATIONS = "classpath:db/migration/metadata";

  private final HikariDataSource dataSource;
  private final Organization defaultOrg;
  private final Environment defaultEnvironment;

  private MetadataStore(HikariDataSource dataSource, Organization defaultOrg, Environment defaultEnvironment) {
    this.dataSource = dataSource;
    this.defaultOrg = defaultOrg;
    this.defaultEnvironment = defaultEnvironment;
  }

  /**
   * Opens (migrating and bootstrapping) the store.
   *
   * @param dataDir where the embedded H2 database lives when {@code dbUrl} is empty
   * @param dbUrl a {@code jdbc:postgresql:} URL ({@value #ENV_DB_URL}); {@code jdbc:h2:} is accepted too
   * @param dbUser user, unless given in the URL ({@value #ENV_DB_USER})
   * @param dbPassword password, unless given in the URL ({@value #ENV_DB_PASSWORD})
   * @param orgSlug slug of the organization to ensure, usually {@value #DEFAULT_ORG_SLUG}
   * @throws StoreException if the database is unreachable or a migration fails
   * @throws IllegalArgumentException for an unsupported URL or bad slug
   */
  public static MetadataStore open(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
      Optional<SecretBytes> dbPassword, String orgSlug, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    String url = dbUrl.filter(u -> !u.isBlank()).map(String::strip).orElseGet(() -> embeddedUrl(dataDir));
    if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(ENV_DB_URL + " must be a jdbc:postgresql: URL");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("lensgate-metadata");
    config.setJdbcUrl(url);
    if (url.startsWith("jdbc:h2:") && dbUser.isEmpty()) {
      config.setUsername("sa");
    }
    dbUser.ifPresent(config::setUsername);
    dbPassword.ifPresent(p -> config.setPassword(p.revealUtf8()));
    config.setMaximumPoolSize(10);
    config.setConnectionTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("connect", e);
    }
    try {
      migrate(ds);
      Organization org = new OrganizationStore(ds, clock).ensure(orgSlug);
      Environment env = new EnvironmentStore(ds, clock).ensure(org.id(), DEFAULT_ENV_SLUG);
      return new MetadataStore(ds, org, env);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /** {@link #open} with {@value #ENV_DB_URL}, {@value #ENV_DB_USER}, {@value #ENV_DB_PASSWORD} from {@code environment}. */
  public static MetadataStore openFromEnvironment(Path dataDir, Map<String, String> environment, Clock clock) {
    return open(dataDir,
        Optional.ofNullable(environment.get(ENV_DB_URL)).filter(s -> !s.isBlank()),
        Optional.ofNullable(environment.get(ENV_DB_USER)).filter(s -> !s.isBlank()),
        Optional.ofNullable(environment.get(ENV_DB_PASSWORD)).map(SecretBytes::fromUtf8),
        DEFAULT_ORG_SLUG, clock);
  }

  private static String embeddedUrl(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new StoreException("create data directory", e);
    }
    return EmbeddedH2.url(dir);
  }

  static void migrate(DataSource ds) {
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations(MIGRATIONS)
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("migrate schema", e);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The organization ensured at open ({@code default} unless another slug was given). */
  public Organization defaultOrg() {
    return defaultOrg;
  }

  /** The {@code development} environment of {@link #defaultOrg()}. */
  public Environment defaultEnvironment() {
    return defaultEnvironment;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
