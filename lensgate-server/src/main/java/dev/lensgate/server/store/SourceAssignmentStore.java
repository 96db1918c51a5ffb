package dev.lensgate.server.store;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Runner assignments made by the CLI ({@code lensgate sources assign}), table
 * {@code source_runner_assignments}. An assignment <em>overrides</em> the config's
 * {@code sources.<name>.runners} list for that source of that environment (the gateway's catalog
 * merges them on its poll); a source without one follows its config. Only runners of the
 * environment's organization can be assigned. Thread-safe.
 */
public final class SourceAssignmentStore {
  /** Most runners one source may be assigned to. */
  public static final int MAX_RUNNERS = 64;

  private final Jdbc jdbc;
  private final Clock clock;

  public SourceAssignmentStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Makes {@code runnerNames} (in order, duplicates dropped) the runners of source {@code source}
   * in {@code envId}, replacing an earlier assignment. All or nothing.
   *
   * @throws LensgateException {@code INVALID_REQUEST} for a bad source name, an empty or oversized
   *     list, an unknown environment, or names of no runner of the environment's organization
   *     (the message lists them)
   */
  public List<RunnerInfo> assign(String envId, String source, List<String> runnerNames) {
    checkSource(source);
    Set<String> names = new LinkedHashSet<>(runnerNames);
    if (names.isEmpty() || names.size() > MAX_RUNNERS) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "give 1 to " + MAX_RUNNERS + " runner names");
    }
    Instant now = StoreTime.now(clock);
    return jdbc.inTransaction("assign source runners", c -> {
      String orgId = Jdbc.queryOne(c, "SELECT org_id FROM environments WHERE id = ? FOR UPDATE", rs -> rs.getString(1), envId)
          .orElseThrow(() -> new LensgateException(ErrorCode.INVALID_REQUEST, "unknown environment"));
      List<RunnerInfo> runners = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (String name : names) {
        Optional<RunnerInfo> r = RunnerStore.findByName(c, orgId, name);
        r.ifPresentOrElse(runners::add, () -> unknown.add(name));
      }
      if (!unknown.isEmpty()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "no runner named " + String.join(", ", unknown));
      }
      Jdbc.update(c, "DELETE FROM source_runner_assignments WHERE env_id = ? AND source_name = ?", envId, source);
      for (RunnerInfo r : runners) {
        Jdbc.update(c, "INSERT INTO source_runner_assignments (env_id, source_name, runner_id, assigned_at) "
            + "VALUES (?, ?, ?, ?)", envId, source, r.id(), now);
      }
      return List.copyOf(runners);
    });
  }

  /** Removes the assignment of {@code source} in {@code envId}; false if there was none. */
  public boolean unassign(String envId, String source) {
    checkSource(source);
    return jdbc.update("unassign source runners",
        "DELETE FROM source_runner_assignments WHERE env_id = ? AND source_name = ?", envId, source) > 0;
  }

  /** The assigned runner names of each source of {@code envId}, by source then runner name. */
  public Map<String, List<String>> forEnvironment(String envId) {
    return all().getOrDefault(envId, Map.of());
  }

  /**
   * Every assignment in the store: environment id → source name → runner names (sorted). One
   * query; the gateway's catalog calls this on each poll.
   */
  public Map<String, Map<String, List<String>>> all() {
    List<String[]> rows = jdbc.query("read source runner assignments",
        "SELECT a.env_id, a.source_name, r.name FROM source_runner_assignments a JOIN runners r ON r.id = a.runner_id "
            + "ORDER BY a.env_id, a.source_name, r.name",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
    Map<String, Map<String, List<String>>> out = new TreeMap<>();
    for (String[] row : rows) {
      out.computeIfAbsent(row[0], e -> new LinkedHashMap<>()).computeIfAbsent(row[1], s -> new ArrayList<>()).add(row[2]);
    }
    Map<String, Map<String, List<String>>> frozen = new LinkedHashMap<>();
    out.forEach((env, sources) -> {
      Map<String, List<String>> s = new LinkedHashMap<>();
      sources.forEach((name, runners) -> s.put(name, List.copyOf(runners)));
      frozen.put(env, Collections.unmodifiableMap(s));
    });
    return Collections.unmodifiableMap(frozen);
  }

  private static void checkSource(String source) {
    if (!SourceStore.isValidName(source)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "invalid source name (expected [A-Za-z0-9][A-Za-z0-9_-]{0,62})");
    }
  }
}
