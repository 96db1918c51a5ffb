package dev.lensgate.server.store;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.KeyRevocations;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Another process on the same metadata database, as the CLI is beside a gateway: its own pool, its
 * own {@link KeyRevocations} (so nothing it publishes reaches the fixture's node), and an
 * {@link ApiKeyService} with the same peppers, as the CLI loads the same master key.
 */
public final class SecondProcess implements AutoCloseable {
  public final MetadataStore store;
  public final KeyRevocations revocations = new KeyRevocations();
  public final ApiKeyService keys;

  public SecondProcess(StoreFixture f) {
    Path unused = Path.of(System.getProperty("java.io.tmpdir"), "lensgate-unused-data-dir");
    this.store = MetadataStore.open(unused, Optional.of(f.db.jdbcUrl()), Optional.of(f.db.user()),
        Optional.of(SecretBytes.fromUtf8(f.db.password())), MetadataStore.DEFAULT_ORG_SLUG, f.clock);
    this.keys = new ApiKeyService(store.dataSource(), f.hasher, f.partnerHasher, revocations, f.clock);
  }

  @Override
  public void close() {
    store.close();
  }
}
