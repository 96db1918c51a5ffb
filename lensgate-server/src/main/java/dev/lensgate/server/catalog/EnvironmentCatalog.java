package dev.lensgate.server.catalog;

import dev.lensgate.core.authz.Authorizer;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.core.jwt.CachingUserTokenVerifier;
import dev.lensgate.core.jwt.JwksUserTokenVerifier;
import dev.lensgate.core.jwt.UserTokenVerifier;
import dev.lensgate.server.http.SafeThrowables;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active config of every environment, compiled once (lenses, CEL rules, JWT verifier) and
 * swapped atomically when a push changes it. A background refresh picks up pushes made by another
 * process (the CLI) within {@code refreshInterval}; an invalid stored config keeps the previous
 * runtime serving and is logged, never half-applied.
 *
 * <p>The same poll reads the runner assignments made by {@code lensgate sources assign}.
 * {@link #source} merges them into the config's sources: an assignment <em>replaces</em> the
 * config's {@code runners:} list for that source (and sends a source without one through runners),
 * so a request never looks them up in the database.
 */
public final class EnvironmentCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentCatalog.class);

  /** One stored active config. */
  public record StoredConfig(String hash, String yaml) {}

  /** Reads the active config of every environment (envId → config). */
  public interface ConfigSource {
    Map<String, StoredConfig> activeConfigs();
  }

  /** Reads the CLI runner assignments: envId → source name → runner names. */
  public interface AssignmentSource {
    Map<String, Map<String, List<String>>> assignments();

    /** No assignments (configs' {@code runners:} lists only). */
    static AssignmentSource none() {
      return Map::of;
    }
  }

  private final ConfigSource source;
  private final AssignmentSource assignmentSource;
  private final Clock clock;
  private final AtomicReference<Map<String, EnvironmentRuntime>> runtimes = new AtomicReference<>(Map.of());
  private final AtomicReference<Map<String, Map<String, List<String>>>> assignments = new AtomicReference<>(Map.of());
  private final ScheduledExecutorService refresher;

  public EnvironmentCatalog(ConfigSource source, Clock clock, long refreshMillis) {
    this(source, AssignmentSource.none(), clock, refreshMillis);
  }

  public EnvironmentCatalog(ConfigSource source, AssignmentSource assignmentSource, Clock clock, long refreshMillis) {
    this.source = source;
    this.assignmentSource = Objects.requireNonNull(assignmentSource, "assignmentSource");
    this.clock = clock;
    refresh();
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lensgate-config-refresh");
      t.setDaemon(true);
      return t;
    });
    if (refreshMillis > 0) {
      refresher.scheduleWithFixedDelay(this::refreshQuietly, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    }
  }

  public Optional<EnvironmentRuntime> runtime(String envId) {
    return envId == null ? Optional.empty() : Optional.ofNullable(runtimes.get().get(envId));
  }

  /**
   * The config of source {@code sourceName} in {@code envId} with its CLI runner assignment
   * applied: the assigned runners replace the config's {@code runners:} list. Empty if the
   * environment has no active config or it declares no such source.
   */
  public Optional<SourceConfig> source(String envId, String sourceName) {
    Optional<SourceConfig> configured = runtime(envId).flatMap(rt -> rt.config().source(sourceName));
    List<String> assigned = assignments.get().getOrDefault(envId, Map.of()).get(sourceName);
    if (configured.isEmpty() || assigned == null || assigned.isEmpty()) {
      return configured;
    }
    SourceConfig c = configured.get();
    return Optional.of(new SourceConfig(c.name(), c.type(), c.url(), assigned, c.credentials()));
  }

  /** Re-reads the stored configs and assignments, recompiling the configs whose hash changed. */
  public synchronized void refresh() {
    Map<String, Map<String, List<String>>> nextAssignments = Map.copyOf(assignmentSource.assignments());
    Map<String, EnvironmentRuntime> current = runtimes.get();
    Map<String, EnvironmentRuntime> next = new HashMap<>();
    for (Map.Entry<String, StoredConfig> e : source.activeConfigs().entrySet()) {
      EnvironmentRuntime existing = current.get(e.getKey());
      if (existing != null && existing.configHash().equals(e.getValue().hash())) {
        next.put(e.getKey(), existing);
        continue;
      }
      compile(e.getKey(), e.getValue()).or(() -> Optional.ofNullable(existing))
          .ifPresent(rt -> next.put(e.getKey(), rt));
    }
    runtimes.set(Map.copyOf(next));
    assignments.set(nextAssignments);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("config refresh failed: {}", SafeThrowables.describe(e));
    }
  }

  private Optional<EnvironmentRuntime> compile(String envId, StoredConfig stored) {
    ConfigResult result = ConfigLoader.parse(stored.yaml(), "env " + envId);
    if (!result.ok() || result.config().isEmpty()) {
      LOG.warn("active config of env {} is invalid ({} errors); keeping the previous one", envId, result.errors().size());
      return Optional.empty();
    }
    LensgateConfig config = result.config().get();
    UserTokenVerifier verifier = config.jwt()
        .<UserTokenVerifier>map(jwt -> CachingUserTokenVerifier.around(JwksUserTokenVerifier.fromSettings(jwt, clock), clock))
        .orElseGet(UserTokenVerifier::rejectingAll);
    return Optional.of(new EnvironmentRuntime(envId, stored.hash(), config, new Authorizer(verifier, clock)));
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
