package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The {@code runners} table: org-scoped runner identities, each bound to one {@code rk_} key minted
 * through {@link ApiKeyService} (so it is hashed, revoked and polled like every key). Thread-safe.
 */
public final class RunnerStore {
  /** Same rule as runner names in {@code sources.<name>.runners}. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final String COLUMNS = "id, org_id, name, key_id, created_at, last_heartbeat_at, version";

  private final Jdbc jdbc;
  private final ApiKeyService keys;
  private final Clock clock;
  private final Ids ids = new Ids();

  public RunnerStore(DataSource dataSource, ApiKeyService keys, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates runner {@code name} in {@code orgId} with a fresh {@code rk_} key.
   *
   * @throws LensgateException {@code INVALID_REQUEST} for a bad or taken name or an unknown org
   */
  public CreatedRunner create(String orgId, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST,
          "runner name must be letters, digits, '.', '_' or '-' (at most 63)");
    }
    if (findByName(orgId, name).isPresent()) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "a runner named " + name + " exists");
    }
    CreatedKey key = keys.create(KeyType.RK, orgId, "runner " + name, Set.of());
    Instant now = StoreTime.now(clock);
    String id = ids.next();
    try {
      jdbc.update("create runner", "INSERT INTO runners (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
          id, orgId, name, key.id(), now, Jdbc.NULL_TIMESTAMP, Jdbc.NULL_TEXT);
    } catch (StoreException e) {
      keys.revoke(key.id());
      key.plaintext().wipe();
      if (Jdbc.isUniqueViolation(e)) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "a runner named " + name + " exists");
      }
      throw e;
    }
    return new CreatedRunner(new RunnerInfo(id, orgId, name, key.id(), now, Optional.empty(), Optional.empty()),
        key.plaintext());
  }

  public Optional<RunnerInfo> find(String id) {
    return jdbc.queryOne("find runner", "SELECT " + COLUMNS + " FROM runners WHERE id = ?", RunnerStore::map, id);
  }

  public Optional<RunnerInfo> findByKeyId(String keyId) {
    return jdbc.queryOne("find runner by key", "SELECT " + COLUMNS + " FROM runners WHERE key_id = ?", RunnerStore::map, keyId);
  }

  public Optional<RunnerInfo> findByName(String orgId, String name) {
    return jdbc.queryOne("find runner by name", "SELECT " + COLUMNS + " FROM runners WHERE org_id = ? AND name = ?",
        RunnerStore::map, orgId, name);
  }

  /** Runners of {@code orgId}, by name. */
  public List<RunnerInfo> list(String orgId) {
    return jdbc.query("list runners", "SELECT " + COLUMNS + " FROM runners WHERE org_id = ? ORDER BY name",
        RunnerStore::map, orgId);
  }

  /** Records a heartbeat; {@code version} is cut to 64 characters. */
  public void heartbeat(String id, Instant at, String version) {
    String v = version.length() > 64 ? version.substring(0, 64) : version;
    jdbc.update("runner heartbeat", "UPDATE runners SET last_heartbeat_at = ?, version = ? WHERE id = ?",
        at.truncatedTo(java.time.temporal.ChronoUnit.MICROS), v, id);
  }

  private static RunnerInfo map(ResultSet rs) throws SQLException {
    return new RunnerInfo(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), rs.getString("key_id"),
        Jdbc.instant(rs, "created_at"), Optional.ofNullable(Jdbc.instant(rs, "last_heartbeat_at")),
        Optional.ofNullable(rs.getString("version")));
  }
}
