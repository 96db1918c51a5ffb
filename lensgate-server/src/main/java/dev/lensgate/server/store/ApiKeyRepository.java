package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyDisplay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * SQL for the {@code api_keys} table. Public lookups serve the authenticator; writes are reserved to
 * {@link ApiKeyService} and {@link LastUsedTracker}. Thread-safe.
 */
public final class ApiKeyRepository {
  private static final String INFO_COLUMNS = "id, key_type, org_id, env_id, name, display_prefix, display_last4, "
      + "scopes, created_at, last_used_at, revoked_at, expires_at, replaced_by";
  private static final String STORED_SELECT = "SELECT k.id, k.key_type, k.org_id, k.env_id, k.scopes, k.secret_hmac, "
      + "k.secret_bcrypt, k.revoked_at, k.expires_at, e.slug AS env_slug, o.slug AS org_slug "
      + "FROM api_keys k JOIN orgs o ON o.id = k.org_id LEFT JOIN environments e ON e.id = k.env_id ";

  private final Jdbc jdbc;

  public ApiKeyRepository(DataSource dataSource) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The sk/pk/ik/rk key whose stored HMAC is {@code secretHmac} (base64url). */
  public Optional<StoredApiKey> findByHmac(String secretHmac) {
    return jdbc.queryOne("look up key", STORED_SELECT + "WHERE k.secret_hmac = ?", ApiKeyRepository::mapStored,
        secretHmac);
  }

  /** The {@code lp_} key with public key id {@code keyId}. */
  public Optional<StoredApiKey> findPartnerKey(String keyId) {
    return jdbc.queryOne("look up key", STORED_SELECT + "WHERE k.id = ? AND k.key_type = 'lp'",
        ApiKeyRepository::mapStored, keyId);
  }

  Optional<ApiKeyInfo> findInfo(String id) {
    return jdbc.queryOne("find key", "SELECT " + INFO_COLUMNS + " FROM api_keys WHERE id = ?",
        ApiKeyRepository::mapInfo, id);
  }

  static Optional<ApiKeyInfo> findInfoForUpdate(Connection c, String id) throws SQLException {
    return Jdbc.queryOne(c, "SELECT " + INFO_COLUMNS + " FROM api_keys WHERE id = ? FOR UPDATE",
        ApiKeyRepository::mapInfo, id);
  }

  List<ApiKeyInfo> list(String orgId, Optional<String> envId) {
    if (envId.isPresent()) {
      return jdbc.query("list keys", "SELECT " + INFO_COLUMNS
          + " FROM api_keys WHERE org_id = ? AND env_id = ? ORDER BY created_at, id", ApiKeyRepository::mapInfo,
          orgId, envId.get());
    }
    return jdbc.query("list keys", "SELECT " + INFO_COLUMNS + " FROM api_keys WHERE org_id = ? ORDER BY created_at, id",
        ApiKeyRepository::mapInfo, orgId);
  }

  static void insert(Connection c, ApiKeyInfo info, String secretHmac, String secretBcrypt) throws SQLException {
    Jdbc.update(c, "INSERT INTO api_keys (id, org_id, env_id, key_type, name, display_prefix, display_last4, "
            + "secret_hmac, secret_bcrypt, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        info.id(), info.orgId(), Jdbc.nullableText(info.envId()), info.type().prefix(), info.name(),
        info.display().prefix(), info.display().last4(), Jdbc.nullableText(secretHmac),
        Jdbc.nullableText(secretBcrypt), joinScopes(info.scopes()), info.createdAt());
  }

  static void markRevoked(Connection c, String id, Instant at) throws SQLException {
    Jdbc.update(c, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id);
  }

  static void markRotated(Connection c, String id, String replacedBy, Instant expiresAt) throws SQLException {
    Jdbc.update(c, "UPDATE api_keys SET replaced_by = ?, expires_at = ? WHERE id = ?", replacedBy,
        Jdbc.nullableInstant(expiresAt), id);
  }

  /** Writes coalesced last-used times; never moves a time backwards. */
  int recordLastUsed(Map<String, Instant> lastUsed) {
    if (lastUsed.isEmpty()) {
      return 0;
    }
    return jdbc.run("record key use", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
        for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
          Jdbc.bind(ps, e.getValue(), e.getKey(), e.getValue());
          ps.addBatch();
        }
        return Arrays.stream(ps.executeBatch()).map(n -> Math.max(n, 0)).sum();
      }
    });
  }

  static String joinScopes(Set<String> scopes) {
    return scopes.stream().sorted().collect(Collectors.joining(" "));
  }

  static Set<String> splitScopes(String joined) {
    if (joined == null || joined.isEmpty()) {
      return Set.of();
    }
    return Set.of(joined.split(" "));
  }

  private static KeyType type(ResultSet rs) throws SQLException {
    String prefix = rs.getString("key_type");
    return KeyType.fromPrefix(prefix).orElseThrow(() -> new SQLException("unknown key type in api_keys"));
  }

  private static ApiKeyInfo mapInfo(ResultSet rs) throws SQLException {
    return new ApiKeyInfo(rs.getString("id"), type(rs), rs.getString("org_id"), rs.getString("env_id"),
        rs.getString("name"), new KeyDisplay(rs.getString("display_prefix"), rs.getString("display_last4")),
        splitScopes(rs.getString("scopes")), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_used_at"),
        Jdbc.instant(rs, "revoked_at"), Jdbc.instant(rs, "expires_at"), rs.getString("replaced_by"));
  }

  private static StoredApiKey mapStored(ResultSet rs) throws SQLException {
    KeyType type = type(rs);
    String ownerSlug = type.orgScoped() ? rs.getString("org_slug") : rs.getString("env_slug");
    return new StoredApiKey(rs.getString("id"), type, rs.getString("org_id"), rs.getString("env_id"), ownerSlug,
        splitScopes(rs.getString("scopes")), rs.getString("secret_hmac"), rs.getString("secret_bcrypt"),
        Jdbc.instant(rs, "revoked_at"), Jdbc.instant(rs, "expires_at"));
  }
}
