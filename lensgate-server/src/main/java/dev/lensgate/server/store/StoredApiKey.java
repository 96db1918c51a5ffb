package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import java.time.Instant;
import java.util.Set;

/**
 * A key as the authenticator needs it: owner, slug to match against the presented key, the at-rest
 * hash to compare, and the lifecycle timestamps. {@link #toString()} leaves the hashes out.
 *
 * @param ownerSlug the environment slug, or for {@code rk_} the organization slug
 * @param secretHmac base64url HMAC (sk/pk/ik/rk), else null
 * @param secretBcrypt bcrypt hash (lp), else null
 */
public record StoredApiKey(String id, KeyType type, String orgId, String envId, String ownerSlug,
    Set<String> scopes, String secretHmac, String secretBcrypt, Instant revokedAt, Instant expiresAt) {
  public StoredApiKey {
    scopes = Set.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "StoredApiKey[id=" + id + ", type=" + type + ", envId=" + envId + "]";
  }
}
