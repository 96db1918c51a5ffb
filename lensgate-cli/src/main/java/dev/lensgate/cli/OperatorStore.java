package dev.lensgate.cli;

import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.MasterKeyException;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.keys.ApiKeyFormat;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.ConfigStore;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.EnvironmentStore;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.Organization;
import dev.lensgate.server.store.RunnerJobStore;
import dev.lensgate.server.store.RunnerStore;
import dev.lensgate.server.store.SourceAssignmentStore;
import dev.lensgate.server.store.SourceStore;
import dev.lensgate.server.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/**
 * The metadata store as one operator command sees it: the default organization, its environments
 * by slug, and the services that need the master key material.
 *
 * <p>The master key is loaded only by the commands that need it (keys, sources), from
 * {@code LENSGATE_MASTER_KEY} or {@code <data-dir>/master-keyset.json} exactly as the gateway does,
 * so keys minted here verify there. Against PostgreSQL a missing master key is an error instead of
 * a freshly generated local keyset, which would mint keys the gateway can never accept.
 *
 * <p>Store failures become {@link CliFailure}s naming the cause without driver messages that could
 * quote a URL or credential.
 */
final class OperatorStore implements AutoCloseable {
  /** H2's "database already open" error: another process (a gateway) holds the embedded file. */
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;

  private final MetadataStore metadata;
  private final Path dataDir;
  private final Map<String, String> environment;
  private final Clock clock;
  private KeyMaterial keyMaterial;

  private OperatorStore(MetadataStore metadata, Path dataDir, Map<String, String> environment, Clock clock) {
    this.metadata = metadata;
    this.dataDir = dataDir;
    this.environment = environment;
    this.clock = clock;
  }

  static OperatorStore open(Path dataDir, Map<String, String> environment, Clock clock) {
    try {
      return new OperatorStore(MetadataStore.openFromEnvironment(dataDir, environment, clock), dataDir,
          environment, clock);
    } catch (StoreException e) {
      throw new CliFailure(describeOpenFailure(e, dataDir, usesExternalDatabase(environment)));
    }
  }

  private static boolean usesExternalDatabase(Map<String, String> environment) {
    String url = environment.get(MetadataStore.ENV_DB_URL);
    return url != null && !url.isBlank();
  }

  private static String describeOpenFailure(StoreException e, Path dataDir, boolean external) {
    SQLException sql = findSqlException(e);
    if (!external && sql != null && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
      return "the metadata store in " + dataDir + " is in use by another process (a running gateway?); "
          + "stop it or run this command against its database";
    }
    String where = external ? MetadataStore.ENV_DB_URL : "the metadata store in " + dataDir;
    String reason = sql == null ? rootCause(e).getClass().getSimpleName()
        : "SQLState " + (sql.getSQLState() == null ? "unknown" : sql.getSQLState());
    return "cannot open " + where + " (" + reason + ")";
  }

  private static SQLException findSqlException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException) {
        return (SQLException) c;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  Organization org() {
    return metadata.defaultOrg();
  }

  /** Environment {@code slug} of the organization. */
  Environment environment(String slug) {
    if (!ApiKeyFormat.isValidSlug(slug)) {
      throw new CliFailure("unknown environment (an environment name matches [a-z0-9][a-z0-9-]{0,62})");
    }
    return environments().findBySlug(org().id(), slug)
        .orElseThrow(() -> new CliFailure("unknown environment '" + slug + "' (lensgate envs list shows them)"));
  }

  EnvironmentStore environments() {
    return new EnvironmentStore(metadata.dataSource(), clock);
  }

  ConfigStore configs() {
    return new ConfigStore(metadata.dataSource(), clock);
  }

  ApiKeyService apiKeys() {
    return new ApiKeyService(metadata.dataSource(), new KeyHasher(keyMaterial()), PartnerSecretHasher.bcrypt(),
        new KeyRevocations(), clock);
  }

  SourceStore sources() {
    return new SourceStore(metadata.dataSource(), keyMaterial().envelope(), clock);
  }

  /** Runner identities; minting and revoking their rk_ keys needs the master key. */
  RunnerStore runners() {
    return new RunnerStore(metadata.dataSource(), apiKeys(), clock);
  }

  RunnerJobStore runnerJobs() {
    return new RunnerJobStore(metadata.dataSource(), clock);
  }

  SourceAssignmentStore assignments() {
    return new SourceAssignmentStore(metadata.dataSource(), clock);
  }

  /** Per-lens index state (issue 4: lensgate status). */
  dev.lensgate.server.store.IndexStateStore indexStates() {
    return new dev.lensgate.server.store.IndexStateStore(metadata.dataSource(), clock);
  }

  /** The sync job queue gateways poll (issue 4: lensgate sync). */
  dev.lensgate.server.store.SyncQueueStore syncQueue() {
    return new dev.lensgate.server.store.SyncQueueStore(metadata.dataSource(), clock);
  }

  private KeyMaterial keyMaterial() {
    if (keyMaterial == null) {
      keyMaterial = loadKeyMaterial();
    }
    return keyMaterial;
  }

  private KeyMaterial loadKeyMaterial() {
    String fromEnv = environment.get(MasterKeys.ENV_VAR);
    boolean envKey = fromEnv != null && !fromEnv.isBlank();
    if (!envKey && usesExternalDatabase(environment) && !Files.exists(dataDir.resolve(MasterKeys.KEYSET_FILE))) {
      throw new CliFailure("LENSGATE_DB_URL is set but there is no master key: set " + MasterKeys.ENV_VAR
          + " to the gateway's master key (or point --data-dir at the gateway's data directory)");
    }
    try {
      return MasterKeys.load(dataDir, environment);
    } catch (MasterKeyException e) {
      throw new CliFailure(e.getMessage());
    }
  }

  @Override
  public void close() {
    metadata.close();
  }
}
