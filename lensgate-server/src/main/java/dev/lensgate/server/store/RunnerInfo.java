package dev.lensgate.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A runner identity (table {@code runners}): org-scoped, bound to one {@code rk_} key.
 *
 * @param name the name sources refer to in {@code sources.<name>.runners}
 */
public record RunnerInfo(String id, String orgId, String name, String keyId, Instant createdAt,
    Optional<Instant> lastHeartbeatAt, Optional<String> version) {
  public RunnerInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt");
    Objects.requireNonNull(version, "version");
  }
}
