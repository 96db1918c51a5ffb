package dev.lensgate.server.sync;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.execute.SourceConnection;
import dev.lensgate.server.execute.SourcePools;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.StoreFixture;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real source table ({@code items}: id, title, body, version) on PostgreSQL or MariaDB, a
 * metadata store (H2), the real Lucene index registry in a temp dir, a {@link FakeEmbedder} and the
 * sync engine wired over the query path's planner and executor, as the gateway wires it.
 */
final class SyncFixture implements AutoCloseable {
  static final String ENV_YAML = "stack: lensgate/v1\n"
      + "sources:\n  main:\n    type: %s\n"
      + "lenses:\n"
      + "  items:\n"
      + "    source: main\n"
      + "    table: items\n"
      + "    primaryKey: id\n"
      + "    fields:\n"
      + "      id: { type: integer }\n"
      + "      title: { type: string, searchable: { weight: 2 } }\n"
      + "      body: { type: string, searchable: true }\n"
      + "      version: { type: integer }\n"
      + "    changeTrackingColumn: version\n";

  final TestDatabase source;
  final StoreFixture meta = new StoreFixture(TestDatabase.Kind.H2);
  final IndexStateStore states;
  final SyncQueueStore queue;
  final LensIndexes indexes;
  final AtomicReference<FakeEmbedder> embedder = new AtomicReference<>(new FakeEmbedder("fake:8:v1"));
  final List<ChangeListener.ChangeEvent> events = new CopyOnWriteArrayList<>();
  final LensConfig lens;
  final SourcePools pools;
  final LensSync sync;

  SyncFixture(TestDatabase.Kind kind, Path indexDir) {
    this.source = TestDatabase.of(kind);
    source.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, title VARCHAR(200), body VARCHAR(200), version BIGINT)");
    this.states = new IndexStateStore(meta.store.dataSource(), meta.clock);
    this.queue = new SyncQueueStore(meta.store.dataSource(), meta.clock);
    this.indexes = new LensIndexes(indexDir);
    String type = kind == TestDatabase.Kind.MARIADB ? "mariadb" : "postgres";
    this.lens = lens(String.format(ENV_YAML, type));
    this.pools = new SourcePools((env, name) -> new SourceConnection(source.jdbcUrl(), source.user(),
        source.password().toCharArray()), Duration.ofSeconds(5), 4);
    this.sync = newSync(pools);
  }

  LensSync newSync(SourcePools sourcePools) {
    ReadPlanner planner = new ReadPlanner(new CursorCodec(new byte[32]));
    LensSourceRows rows = new LensSourceRows(new LensReader(sourcePools, planner), sourcePools, Optional.empty());
    return new LensSync(rows, indexes::writer, (env, l) -> embedder.get(), states, queue, events::add,
        LensSync.DEFAULT_BATCH_ROWS);
  }

  static LensConfig lens(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "sync-test.yaml");
    if (!r.ok()) {
      throw new AssertionError("config problems: " + r.errors());
    }
    return r.config().orElseThrow().lens("items").orElseThrow();
  }

  String env() {
    return meta.devEnvId();
  }

  LensIndexWriter writer() {
    return indexes.writer(env(), lens);
  }

  LensIndexStatus status() {
    return states.get(env(), "items").orElseThrow();
  }

  /** Inserts ids {@code from..to} (inclusive) with version 1. */
  void insert(int from, int to) {
    List<String> sql = new ArrayList<>();
    StringBuilder b = new StringBuilder("INSERT INTO items (id, title, body, version) VALUES ");
    for (int i = from; i <= to; i++) {
      b.append(i == from ? "" : ", ").append("(").append(i).append(", 'title ").append(i).append("', 'body of row ")
          .append(i).append("', 1)");
    }
    sql.add(b.toString());
    source.execute(sql.toArray(new String[0]));
  }

  SyncResult run(dev.lensgate.server.store.SyncMode mode) {
    return sync.run(env(), lens, mode);
  }

  @Override
  public void close() {
    pools.close();
    indexes.close();
    meta.close();
    source.close();
  }
}
