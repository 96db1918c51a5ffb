package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyDisplay;
import java.time.Instant;
import java.util.Set;

/**
 * What an operator may see about a key: never the secret, never its hash.
 *
 * @param envId null for organization-scoped ({@code rk_}) keys
 * @param lastUsedAt null if never used (or not yet flushed)
 * @param revokedAt null unless revoked (or rotated without grace)
 * @param expiresAt end of the grace period of a rotated key, else null
 * @param replacedBy id of the key that replaced this one by rotation, else null
 */
public record ApiKeyInfo(String id, KeyType type, String orgId, String envId, String name, KeyDisplay display,
    Set<String> scopes, Instant createdAt, Instant lastUsedAt, Instant revokedAt, Instant expiresAt,
    String replacedBy) {
  public ApiKeyInfo {
    scopes = Set.copyOf(scopes);
  }

  /** The state at {@code now}: a grace period ends exactly at {@code expiresAt}. */
  public KeyState state(Instant now) {
    if (revokedAt != null || (expiresAt != null && !now.isBefore(expiresAt))) {
      return KeyState.REVOKED;
    }
    return expiresAt != null ? KeyState.ROTATING : KeyState.ACTIVE;
  }
}
