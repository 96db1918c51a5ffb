package dev.lensgate.core.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as proven by a verified API key. Only the key verifier creates these; handlers
 * never build one from request input.
 *
 * @param keyId the key's stable id (safe to log)
 * @param type the key type
 * @param orgId the owning organization
 * @param envId the environment id, or null for organization-scoped ({@code rk_}) keys
 * @param scopes {@code lp_} scopes such as {@code products:search}; empty for other types
 */
public record Principal(String keyId, KeyType type, String orgId, String envId, Set<String> scopes) {
  public Principal {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(orgId, "orgId");
    scopes = Set.copyOf(scopes);
  }
}
