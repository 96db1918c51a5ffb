package dev.lensgate.server.store;

import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A migrated metadata store on a fresh {@link TestDatabase} with every service wired as the
 * composition root would (bcrypt at a test cost). Closing drops the database.
 */
public final class StoreFixture implements AutoCloseable {
  public final TestDatabase db;
  public final TestClock clock = TestClock.at("2025-03-01T12:00:00Z");
  public final KeyMaterial material = MasterKeys.ephemeral();
  public final KeyHasher hasher = new KeyHasher(material);
  public final PartnerSecretHasher partnerHasher;
  public final KeyRevocations revocations = new KeyRevocations();
  public final MetadataStore store;
  public final EnvironmentStore environments;
  public final OrganizationStore organizations;
  public final ApiKeyRepository keyRepository;
  public final ApiKeyService keys;
  public final SourceStore sources;
  public final ConfigStore configs;
  public final RequestLogStore requestLog;
  public final LastUsedTracker lastUsed;

  public StoreFixture(TestDatabase.Kind kind) {
    this(kind, PartnerSecretHasher.unsafeLowCostBcryptForTests(4));
  }

  public StoreFixture(TestDatabase.Kind kind, PartnerSecretHasher partnerHasher) {
    this.db = TestDatabase.of(kind);
    this.partnerHasher = partnerHasher;
    // Never created: with a database URL given, the data dir is not used for the store.
    Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "lensgate-unused-data-dir");
    this.store = MetadataStore.open(dataDir, Optional.of(db.jdbcUrl()), Optional.of(db.user()),
        Optional.of(SecretBytes.fromUtf8(db.password())), MetadataStore.DEFAULT_ORG_SLUG, clock);
    this.environments = new EnvironmentStore(store.dataSource(), clock);
    this.organizations = new OrganizationStore(store.dataSource(), clock);
    this.keyRepository = new ApiKeyRepository(store.dataSource());
    this.keys = new ApiKeyService(store.dataSource(), hasher, partnerHasher, revocations, clock);
    this.sources = new SourceStore(store.dataSource(), material.envelope(), clock);
    this.configs = new ConfigStore(store.dataSource(), clock);
    this.requestLog = new RequestLogStore(store.dataSource(), clock);
    this.lastUsed = new LastUsedTracker(keyRepository, clock, Duration.ofSeconds(5));
  }

  public String devEnvId() {
    return store.defaultEnvironment().id();
  }

  public String orgId() {
    return store.defaultOrg().id();
  }

  @Override
  public void close() {
    store.close();
    db.close();
  }
}
