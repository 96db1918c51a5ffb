package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
  /** Longest chain of rotations followed from an old key to its runner. */
  static final int MAX_ROTATION_HOPS = 16;
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

  /** The runner whose current key is exactly {@code keyId} (see {@link #findByKey} for rotated keys). */
  public Optional<RunnerInfo> findByKeyId(String keyId) {
    return jdbc.queryOne("find runner by key", "SELECT " + COLUMNS + " FROM runners WHERE key_id = ?", RunnerStore::map, keyId);
  }

  /**
   * The runner that key {@code keyId} identifies: the runner whose current key it is, or, for a key
   * replaced by rotation, the runner its successor chain ({@code replaced_by}, at most
   * {@value #MAX_ROTATION_HOPS} hops) leads to. Whether the key is still valid (revoked, grace
   * over) is the authenticator's job, not this lookup's.
   *
   * <p>The returned info's {@code keyId} is {@code keyId} itself, the key the caller presented, so
   * a session opened with an old key during a rotation grace period is closed when that key's
   * grace ends (sessions are closed by the revoked key's id).
   */
  public Optional<RunnerInfo> findByKey(String keyId) {
    return jdbc.run("find runner by key", c -> {
      String k = keyId;
      for (int hop = 0; hop <= MAX_ROTATION_HOPS; hop++) {
        Optional<RunnerInfo> r = Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM runners WHERE key_id = ?", RunnerStore::map, k);
        if (r.isPresent()) {
          RunnerInfo i = r.get();
          return Optional.of(new RunnerInfo(i.id(), i.orgId(), i.name(), keyId, i.createdAt(), i.lastHeartbeatAt(), i.version()));
        }
        Optional<String> next = Jdbc.queryOne(c,
            "SELECT replaced_by FROM api_keys WHERE id = ? AND key_type = ? AND replaced_by IS NOT NULL",
            rs -> rs.getString(1), k, KeyType.RK.prefix());
        if (next.isEmpty()) {
          return Optional.empty();
        }
        k = next.get();
      }
      return Optional.empty();
    });
  }

  public Optional<RunnerInfo> findByName(String orgId, String name) {
    return jdbc.run("find runner by name", c -> findByName(c, orgId, name));
  }

  static Optional<RunnerInfo> findByName(Connection c, String orgId, String name) throws SQLException {
    return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM runners WHERE org_id = ? AND name = ?", RunnerStore::map, orgId, name);
  }

  /**
   * Revokes runner {@code id}: its current key and every earlier key of it still in a rotation
   * grace period, through {@link ApiKeyService#revoke} (so the revocation log tells every gateway,
   * whose sessions on those keys then get {@code refused{key_revoked}} and a close). Idempotent.
   *
   * @return true if the runner was active before this call, false if it already was revoked
   * @throws LensgateException {@code NOT_FOUND} for an unknown id
   */
  public boolean revoke(String id) {
    RunnerInfo runner = find(id).orElseThrow(() -> new LensgateException(ErrorCode.NOT_FOUND, "no such runner"));
    boolean wasActive = isActive(runner);
    keys.revoke(runner.keyId());
    for (String earlier : earlierKeys(runner.keyId())) {
      if (keys.find(earlier).map(k -> k.revokedAt() == null).orElse(false)) {
        keys.revoke(earlier);
      }
    }
    return wasActive;
  }

  /** True while the runner's current key is neither revoked nor expired. */
  public boolean isActive(RunnerInfo runner) {
    Instant now = StoreTime.now(clock);
    return keys.find(runner.keyId()).map(k -> k.state(now) != KeyState.REVOKED).orElse(false);
  }

  /** Keys rotated into {@code keyId}, directly or through a chain, newest first. */
  private List<String> earlierKeys(String keyId) {
    return jdbc.run("find earlier runner keys", c -> {
      List<String> out = new ArrayList<>();
      List<String> frontier = List.of(keyId);
      for (int hop = 0; hop < MAX_ROTATION_HOPS && !frontier.isEmpty(); hop++) {
        List<String> next = new ArrayList<>();
        for (String k : frontier) {
          next.addAll(Jdbc.query(c, "SELECT id FROM api_keys WHERE replaced_by = ?", rs -> rs.getString(1), k));
        }
        out.addAll(next);
        frontier = next;
      }
      return out;
    });
  }

  /**
   * Moves the runner bound to {@code oldKeyId} to {@code newKeyId}, inside the caller's
   * transaction ({@link ApiKeyService#rotate} of an {@code rk_} key). No-op for a key of no runner.
   */
  static void moveKey(Connection c, String oldKeyId, String newKeyId) throws SQLException {
    Jdbc.update(c, "UPDATE runners SET key_id = ? WHERE key_id = ?", newKeyId, oldKeyId);
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
