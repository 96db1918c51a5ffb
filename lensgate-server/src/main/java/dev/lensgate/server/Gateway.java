package dev.lensgate.server;

import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.server.audit.BatchingRequestLog;
import dev.lensgate.server.audit.RequestLogEntry;
import dev.lensgate.server.authenticate.KeyAuthenticator;
import dev.lensgate.server.authorize.LensAccess;
import dev.lensgate.server.catalog.EnvironmentCatalog;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.execute.SourceConnection;
import dev.lensgate.server.execute.SourcePools;
import dev.lensgate.server.http.HttpApi;
import dev.lensgate.server.internal.InternalDispatch;
import dev.lensgate.server.http.JsonBodies;
import dev.lensgate.server.http.RateLimiter;
import dev.lensgate.server.http.Route;
import dev.lensgate.server.http.SystemRoutes;
import dev.lensgate.server.http.WsRoute;
import dev.lensgate.server.query.QueryRoute;
import dev.lensgate.server.embed.EmbedderLookup;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.search.SearchEngine;
import dev.lensgate.server.search.SearchRoutes;
import dev.lensgate.server.ingest.IngestRoute;
import dev.lensgate.server.stream.InProcessStreamHub;
import dev.lensgate.server.stream.StreamEndpoint;
import dev.lensgate.server.stream.StreamHub;
import dev.lensgate.server.stream.StreamSettings;
import dev.lensgate.server.sync.LensSourceRows;
import dev.lensgate.server.sync.LensSync;
import dev.lensgate.server.sync.SyncScheduler;
import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.server.store.ApiKeyRepository;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.ConfigStore;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.EnvironmentStore;
import dev.lensgate.server.store.LastUsedTracker;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.RequestLogRow;
import dev.lensgate.server.store.RequestLogStore;
import dev.lensgate.server.store.RetentionSweeper;
import dev.lensgate.server.store.RevocationLogRetention;
import dev.lensgate.server.store.RevocationPoller;
import dev.lensgate.server.store.SourceCredentials;
import dev.lensgate.server.store.SourceAssignmentStore;
import dev.lensgate.server.store.SourceStore;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.RunnerFrameCodec;
import dev.lensgate.server.runner.JobDispatcher;
import dev.lensgate.server.runner.RunnerEndpoint;
import dev.lensgate.server.runner.RunnerLedger;
import dev.lensgate.server.runner.RunnerReads;
import dev.lensgate.server.runner.RunnerSessions;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.RunnerJobStore;
import dev.lensgate.server.store.RunnerStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: builds every component of the request flow with plain constructors, in
 * the order a request passes through them, and owns their shutdown. No DI container, no globals —
 * two gateways in one JVM (as the tests run them) share nothing.
 */
public final class Gateway implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gateway.class);
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final MetadataStore store;
  private final ApiKeyService keys;
  private final EnvironmentStore environments;
  private final SourceStore sources;
  private final ConfigStore configs;
  private final EnvironmentCatalog catalog;
  private final SourcePools pools;
  private final BatchingRequestLog requestLog;
  private final RequestLogStore requestLogStore;
  private final HttpApi http;
  private final RunnerStore runners;
  private final RunnerJobStore runnerJobs;
  private final RunnerLedger runnerLedger;
  private final RunnerSessions runnerSessions;
  private final JobDispatcher dispatcher;
  private final InternalDispatch internalDispatch;
  private final LensIndexes indexes;
  private final IndexStateStore indexStates;
  private final SyncQueueStore syncQueue;
  private final SyncScheduler syncScheduler;
  private final StreamHub streamHub;
  private final StreamEndpoint streamEndpoint;

  private Gateway(GatewaySettings settings, Clock clock, Optional<EmbedderLookup> embedderOverride) {
    try {
      this.store = own(MetadataStore.openFromEnvironment(settings.dataDir(), settings.environment(), clock));
      KeyMaterial material = MasterKeys.load(settings.dataDir(), settings.environment());
      KeyHasher hasher = new KeyHasher(material);
      PartnerSecretHasher partnerHasher = PartnerSecretHasher.bcrypt();
      KeyRevocations revocations = new KeyRevocations();
      var dataSource = store.dataSource();

      // Stores.
      this.environments = new EnvironmentStore(dataSource, clock);
      this.keys = new ApiKeyService(dataSource, hasher, partnerHasher, revocations, clock);
      this.sources = new SourceStore(dataSource, material.envelope(), clock);
      this.configs = new ConfigStore(dataSource, clock);
      this.requestLogStore = new RequestLogStore(dataSource, clock);
      own(RetentionSweeper.start("request log", requestLogStore::sweepExpired, Duration.ofHours(1)));

      // authenticate → authorize. The poller's baseline is taken before anything caches a key.
      own(new RevocationPoller(dataSource, revocations, RevocationPoller.DEFAULT_POLL_INTERVAL)).start();
      RevocationLogRetention revocationLog = new RevocationLogRetention(dataSource, clock);
      own(RetentionSweeper.start("revocation log", revocationLog::sweepExpired, Duration.ofHours(1)));
      ApiKeyRepository keyRepository = new ApiKeyRepository(dataSource);
      LastUsedTracker lastUsed = own(new LastUsedTracker(keyRepository, clock, Duration.ofSeconds(5)));
      KeyAuthenticator authenticator = own(new KeyAuthenticator(keyRepository, hasher, partnerHasher, lastUsed,
          revocations, clock, KeyAuthenticator.DEFAULT_CACHE_TTL));
      RateLimiter rateLimiter = settings.rateLimitPerSecond() == 0 ? RateLimiter.unlimited()
          : RateLimiter.perKey(settings.rateLimitPerSecond(), settings.rateLimitBurst(), io.github.bucket4j.TimeMeter.SYSTEM_NANOTIME);
      this.catalog = own(new EnvironmentCatalog(this::activeConfigs, new SourceAssignmentStore(dataSource, clock)::all,
          clock, settings.configRefresh().toMillis()));
      LensAccess access = new LensAccess(authenticator, rateLimiter, catalog);

      // plan → execute → shape.
      ReadPlanner planner;
      try (SecretBytes cursorKey = material.cursorKey()) {
        planner = new ReadPlanner(new CursorCodec(cursorKey.reveal()));
      }
      this.pools = own(new SourcePools(this::resolveSource, Duration.ofSeconds(5), 16));

      // Runners: the socket endpoint, dispatch and the job ledger (issue 3).
      RunnerSettings runnerSettings = RunnerSettings.from(settings.environment());
      this.runners = new RunnerStore(dataSource, keys, clock);
      this.runnerJobs = new RunnerJobStore(dataSource, clock);
      own(RetentionSweeper.start("runner ledger", runnerJobs::sweepExpired, Duration.ofHours(1)));
      this.runnerLedger = own(new RunnerLedger(runnerJobs, 100_000));
      ScheduledExecutorService runnerTimers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lensgate-runner-timers");
        t.setDaemon(true);
        return t;
      });
      own(runnerTimers::shutdownNow);
      RunnerFrameCodec frameCodec = RunnerFrameCodec.withDefaults();
      this.runnerSessions = own(new RunnerSessions(frameCodec, clock, runnerSettings.heartbeatInterval(), runnerTimers, revocations));
      this.dispatcher = new JobDispatcher(runnerSessions, runnerLedger, runnerTimers, clock,
          runnerSettings.maxInFlightPerSocket(), new SecureRandom());
      RunnerEndpoint runnerEndpoint = new RunnerEndpoint(authenticator, runners, runnerSessions, dispatcher, frameCodec, clock);
      // Split nodes (issue 3 item 7): an API node sends jobs to the runner-facing node instead.
      this.internalDispatch = own(InternalDispatch.from(settings.environment()));
      RunnerReads runnerReads = new RunnerReads(internalDispatch.dispatch(dispatcher),
          catalog::source,
          internalDispatch.credentials(this::jobCredentials), this::orgOf, runnerSettings.jobDeadline());
      LensReader reader = new LensReader(pools, planner, runnerReads);
      JsonBodies bodies = new JsonBodies(settings.http().maxBodyBytes());

      // audit.
      this.requestLog = own(new BatchingRequestLog(this::writeRequestLog, 100_000));

      List<Route> routes = new ArrayList<>(new SystemRoutes(settings.version()).routes());
      routes.add(new QueryRoute(access, bodies, planner, reader).route());
      // search / similar (issue 4): one Lucene index per (environment, lens) under <dataDir>/index.
      this.indexes = own(new LensIndexes(settings.dataDir().resolve("index")));
      EmbedderLookup embedders = embedderOverride.isPresent() ? embedderOverride.get()
          : own(new dev.lensgate.server.embed.Embedders(catalog, settings.dataDir().resolve("djl")));
      routes.addAll(new SearchRoutes(access, bodies, new SearchEngine(indexes, embedders)).routes());
      // sync + ingest (issue 4): the webhook buffers changes durably; the scheduler polls the store and applies them.
      this.indexStates = new IndexStateStore(dataSource, clock);
      this.syncQueue = new SyncQueueStore(dataSource, clock);
      routes.add(new IngestRoute(access, bodies, syncQueue, IngestRoute.DEFAULT_DEBOUNCE).route());
      // Live streams (issue 5): the hub hears every change sync/ingest commits; sockets subscribe to it.
      this.streamHub = own(new InProcessStreamHub());
      LensSync lensSync = new LensSync(new LensSourceRows(reader, pools, Optional.of(runnerReads)), indexes::writer,
          embedders, indexStates, syncQueue, streamHub, LensSync.DEFAULT_BATCH_ROWS);
      this.syncScheduler = own(new SyncScheduler(lensSync, this::activeLenses, indexStates, syncQueue, clock, 2,
          SyncScheduler.DEFAULT_POLL_INTERVAL, SyncScheduler.DEFAULT_RETRY_DELAY));
      this.streamEndpoint = new StreamEndpoint(authenticator, access, catalog, streamHub,
          (envId, lens, recordId) -> Optional.ofNullable(indexes.index(envId, lens).storedRows(List.of(recordId)).get(recordId)),
          revocations, StreamSettings.from(settings.environment()), clock);
      try {
        // A runner-facing node hears no sync changes (the API node runs syncs), so it offers no stream.
        List<WsRoute> sockets = internalDispatch.runnerFacing()
            ? List.of(runnerEndpoint.route()) : List.of(runnerEndpoint.route(), streamEndpoint.route());
        this.http = own(new HttpApi(settings.http(), routes, sockets, requestLog, clock));
      } finally {
        // Closed before the HTTP server (closeables pop in reverse), so sockets get closed{shutdown}.
        own(streamEndpoint);
      }
      internalDispatch.serve(dispatcher, catalog::source, this::jobCredentials, this::orgOf, requestLog, clock);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens the store, compiles the active configs and starts listening. */
  public static Gateway start(GatewaySettings settings, Clock clock) {
    return start(settings, clock, Optional.empty());
  }

  /**
   * Like {@link #start(GatewaySettings, Clock)}, with the embedders of every lens replaced by
   * {@code embedderOverride} when present (tests: deterministic or failing embedders).
   */
  public static Gateway start(GatewaySettings settings, Clock clock, Optional<EmbedderLookup> embedderOverride) {
    Gateway g = new Gateway(settings, clock, embedderOverride);
    try {
      g.http.start();
      g.internalDispatch.start();
      if (g.runsSyncs()) {
        g.syncScheduler.start();
      } else {
        LOG.info("runner-facing node: syncs and live streams run on the API node; search here answers indexState not_built");
      }
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  private <T extends AutoCloseable> T own(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  private Map<String, EnvironmentCatalog.StoredConfig> activeConfigs() {
    Map<String, EnvironmentCatalog.StoredConfig> out = new HashMap<>();
    for (Environment env : environments.list(store.defaultOrg().id())) {
      configs.active(env.id()).ifPresent(a -> out.put(env.id(), new EnvironmentCatalog.StoredConfig(a.hash(), a.yaml())));
    }
    return out;
  }

  /** Every environment's active lenses, for the sync scheduler. */
  private Map<String, Map<String, dev.lensgate.core.config.LensConfig>> activeLenses() {
    Map<String, Map<String, dev.lensgate.core.config.LensConfig>> out = new HashMap<>();
    for (Environment env : environments.list(store.defaultOrg().id())) {
      catalog.runtime(env.id()).ifPresent(rt -> out.put(env.id(), rt.config().lenses()));
    }
    return out;
  }

  /** Managed credentials first; otherwise the config's URL as written (e.g. an embedded source). */
  private SourceConnection resolveSource(String envId, String sourceName) {
    var managed = sources.credentials(envId, sourceName);
    if (managed.isPresent()) {
      SourceCredentials c = managed.get();
      try (SecretBytes password = c.password()) {
        byte[] raw = password.reveal();
        char[] chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw)).array();
        java.util.Arrays.fill(raw, (byte) 0);
        try {
          return new SourceConnection(c.jdbcUrl(), c.user(), chars);
        } finally {
          java.util.Arrays.fill(chars, '\0');
        }
      }
    }
    String url = catalog.runtime(envId)
        .flatMap(rt -> rt.config().source(sourceName))
        .flatMap(s -> s.url())
        .orElseThrow(() -> new LensgateException(ErrorCode.SOURCE_UNREACHABLE,
            "source " + sourceName + " has no connection details; run `lensgate sources connect`"));
    return new SourceConnection(url, null, null);
  }

  /** Managed credentials, decrypted in memory for one job; else the config's URL with no secret. */
  private Optional<JobCredentials> jobCredentials(String envId, SourceConfig source) {
    Optional<SourceCredentials> managed = sources.credentials(envId, source.name());
    if (managed.isPresent()) {
      SourceCredentials c = managed.get();
      return Optional.of(new JobCredentials(c.jdbcUrl(), c.user() == null ? "" : c.user(), c.password()));
    }
    return source.url().map(url -> new JobCredentials(url, "", SecretBytes.fromUtf8("")));
  }

  private String orgOf(String envId) {
    return environments.findById(envId).map(Environment::orgId)
        .orElseThrow(() -> new LensgateException(ErrorCode.LENS_NOT_FOUND, "lens not found"));
  }

  private void writeRequestLog(List<RequestLogEntry> entries) {
    List<RequestLogRow> rows = new ArrayList<>(entries.size());
    for (RequestLogEntry e : entries) {
      rows.add(new RequestLogRow(e.requestId(), e.envId(), e.keyId(), e.route(), e.status(), e.durationMicros() / 1000, e.created()));
    }
    requestLogStore.append(rows);
  }

  public int port() { return http.port(); }

  /**
   * Whether this node runs the sync scheduler: a single node or an API node does; the runner-facing
   * node of a split pair does not (see {@link InternalDispatch#runnerFacing()}).
   */
  public boolean runsSyncs() { return !internalDispatch.runnerFacing(); }

  /** The internal dispatch listener's port, or -1 when this node has none. */
  public int internalDispatchPort() { return internalDispatch.port(); }

  public HttpApi http() { return http; }

  public MetadataStore store() { return store; }

  public ApiKeyService keys() { return keys; }

  public EnvironmentStore environments() { return environments; }

  public SourceStore sources() { return sources; }

  public ConfigStore configs() { return configs; }

  public RunnerStore runners() { return runners; }

  public RunnerJobStore runnerJobs() { return runnerJobs; }

  /** The search indexes of every environment's lenses (sync and ingest write through it). */
  public LensIndexes indexes() { return indexes; }

  /** Per-lens index state (sync lifecycle, figures, cursor). */
  public IndexStateStore indexStates() { return indexStates; }

  /** The ingest buffer and sync job queue. */
  public SyncQueueStore syncQueue() { return syncQueue; }

  public RunnerSessions runnerSessions() { return runnerSessions; }

  /** The live-stream hub (fed by sync and ingest; tests may feed it changes directly). */
  public StreamHub streamHub() { return streamHub; }

  /** The {@code /v1/stream} endpoint (open sockets, slow-consumer figures). */
  public StreamEndpoint streamEndpoint() { return streamEndpoint; }

  public JobDispatcher dispatcher() { return dispatcher; }

  /** Writes queued runner ledger rows now (tests, export). */
  public void flushRunnerLedger() { runnerLedger.flush(); }

  public RequestLogStore requestLogStore() { return requestLogStore; }

  /** Recompiles changed configs now instead of at the next refresh tick. */
  public void refreshConfigs() { catalog.refresh(); }

  /** Writes queued request-log rows now (tests, shutdown). */
  public void flushRequestLog() { requestLog.flush(); }

  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        // Keep closing the rest; shutdown must release every resource.
      }
    }
  }
}
