package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyGenerator;
import dev.lensgate.core.keys.ApiKeyScopes;
import dev.lensgate.core.keys.GeneratedKey;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Minting, listing, revoking and rotating API keys.
 *
 * <p>At rest: {@code sk/pk/ik/rk} as HMAC-SHA-256 of the full key under the type's pepper;
 * {@code lp_} as bcrypt of the secret after the dot, found by the public key id. Plaintext leaves
 * this class exactly once, in {@link CreatedKey}.
 *
 * <p>Revocation and rotation are committed first, then published on {@link KeyRevocations} so this
 * node's caches and open sockets react at once. The same transaction appends the revocation to the
 * store's revocation log, which {@link RevocationPoller} on every other process sharing the store
 * (other gateways, or the gateway when this runs in the CLI) turns into the same event. Rotation
 * with grace: the new key works immediately, the old one until {@code now + grace} (exclusive), then
 * is refused with {@code key_revoked}. Rotating an {@code rk_} key moves its runner to the new key
 * in the same transaction.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyService {
  /** Longest accepted rotation grace period. */
  public static final Duration MAX_GRACE = Duration.ofDays(30);
  static final int MAX_NAME_LENGTH = 100;

  private final Jdbc jdbc;
  private final ApiKeyRepository repository;
  private final EnvironmentStore environments;
  private final OrganizationStore organizations;
  private final KeyHasher hasher;
  private final PartnerSecretHasher partnerHasher;
  private final KeyRevocations revocations;
  private final Clock clock;
  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  public ApiKeyService(DataSource dataSource, KeyHasher hasher, PartnerSecretHasher partnerHasher,
      KeyRevocations revocations, Clock clock) {
    Objects.requireNonNull(dataSource, "dataSource");
    this.jdbc = new Jdbc(dataSource);
    this.repository = new ApiKeyRepository(dataSource);
    this.environments = new EnvironmentStore(dataSource, clock);
    this.organizations = new OrganizationStore(dataSource, clock);
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.partnerHasher = Objects.requireNonNull(partnerHasher, "partnerHasher");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Mints a key.
   *
   * @param ownerId the environment id, or for {@code rk_} the organization id
   * @param name free label (may be empty), at most 100 characters, no control characters
   * @param scopes {@code lp_} only: {@code <lens>:<operation>} entries; must be empty for other types
   * @throws LensgateException {@code INVALID_REQUEST} for an unknown owner, bad name or bad scopes
   */
  public CreatedKey create(KeyType type, String ownerId, String name, Set<String> scopes) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ownerId, "ownerId");
    String checkedName = checkName(name);
    Set<String> checkedScopes = checkScopes(type, scopes);
    Owner owner = resolveOwner(type, ownerId);
    return jdbc.inTransaction("create key", c -> insertNew(c, type, owner, checkedName, checkedScopes));
  }

  /** Keys of {@code orgId}, optionally only those of one environment; oldest first. */
  public List<ApiKeyInfo> list(String orgId, Optional<String> envId) {
    return repository.list(orgId, envId);
  }

  public Optional<ApiKeyInfo> find(String id) {
    return repository.findInfo(id);
  }

  /**
   * Revokes {@code id} at once (also cutting short a rotation grace period). Idempotent.
   *
   * @throws LensgateException {@code NOT_FOUND} for an unknown id
   */
  public ApiKeyInfo revoke(String id) {
    Instant now = StoreTime.now(clock);
    KeyRevocation revocation = jdbc.inTransaction("revoke key", c -> {
      ApiKeyInfo info = ApiKeyRepository.findInfoForUpdate(c, id).orElseThrow(ApiKeyService::notFound);
      ApiKeyRepository.markRevoked(c, id, now);
      Instant effective = info.revokedAt() != null ? info.revokedAt() : now;
      KeyRevocation r = new KeyRevocation(id, info.type(), effective);
      RevocationLog.append(c, r, now);
      return r;
    });
    revocations.publish(revocation);
    return repository.findInfo(id).orElseThrow(ApiKeyService::notFound);
  }

  /**
   * Replaces {@code id} by a new key of the same type, owner, name and scopes.
   *
   * @param grace how long the old key keeps working; empty or zero stops it at once
   * @throws LensgateException {@code NOT_FOUND} for an unknown id; {@code INVALID_REQUEST} if the key
   *     is revoked, already rotated, or the grace is negative or above {@link #MAX_GRACE}
   */
  public CreatedKey rotate(String id, Optional<Duration> grace) {
    Duration g = grace.orElse(Duration.ZERO);
    if (g.isNegative() || g.compareTo(MAX_GRACE) > 0) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "grace must be between 0 and " + MAX_GRACE.toDays() + " days");
    }
    Instant now = StoreTime.now(clock);
    Instant oldStopsAt = now.plus(g);
    ApiKeyInfo old = repository.findInfo(id).orElseThrow(ApiKeyService::notFound);
    Owner owner = resolveOwner(old.type(), old.type().orgScoped() ? old.orgId() : old.envId());
    CreatedKey created = jdbc.inTransaction("rotate key", c -> {
      ApiKeyInfo locked = ApiKeyRepository.findInfoForUpdate(c, id).orElseThrow(ApiKeyService::notFound);
      if (locked.state(now) == KeyState.REVOKED) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "key is revoked");
      }
      if (locked.replacedBy() != null) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "key was already rotated");
      }
      CreatedKey fresh = insertNew(c, locked.type(), owner, locked.name(), locked.scopes());
      if (locked.type() == KeyType.RK) {
        // The runner follows its key; the old key still finds it through replaced_by during grace.
        RunnerStore.moveKey(c, id, fresh.id());
      }
      if (g.isZero()) {
        ApiKeyRepository.markRotated(c, id, fresh.id(), null);
        ApiKeyRepository.markRevoked(c, id, now);
      } else {
        ApiKeyRepository.markRotated(c, id, fresh.id(), oldStopsAt);
      }
      RevocationLog.append(c, new KeyRevocation(id, locked.type(), oldStopsAt), now);
      return fresh;
    });
    revocations.publish(new KeyRevocation(id, old.type(), oldStopsAt));
    return created;
  }

  private CreatedKey insertNew(Connection c, KeyType type, Owner owner, String name, Set<String> scopes)
      throws SQLException {
    GeneratedKey key = generator.generate(type, owner.slug());
    String hmac = null;
    String bcrypt = null;
    if (type == KeyType.LP) {
      bcrypt = partnerHasher.hash(key.parsed().partnerSecret());
    } else {
      hmac = hasher.hashForStorage(type, key.plaintext().revealUtf8());
    }
    ApiKeyInfo info = new ApiKeyInfo(key.id(), type, owner.orgId(), owner.envId(), name, key.display(), scopes,
        StoreTime.now(clock), null, null, null, null);
    ApiKeyRepository.insert(c, info, hmac, bcrypt);
    return new CreatedKey(key.id(), key.plaintext(), key.display(), info);
  }

  private record Owner(String orgId, String envId, String slug) {}

  private Owner resolveOwner(KeyType type, String ownerId) {
    if (type.orgScoped()) {
      Organization org = organizations.findById(ownerId)
          .orElseThrow(() -> new LensgateException(ErrorCode.INVALID_REQUEST, "unknown organization"));
      return new Owner(org.id(), null, org.slug());
    }
    Environment env = environments.findById(ownerId)
        .orElseThrow(() -> new LensgateException(ErrorCode.INVALID_REQUEST, "unknown environment"));
    return new Owner(env.orgId(), env.id(), env.slug());
  }

  private static String checkName(String name) {
    String n = name == null ? "" : name.strip();
    if (n.length() > MAX_NAME_LENGTH || n.chars().anyMatch(Character::isISOControl)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "key name must be at most " + MAX_NAME_LENGTH
          + " printable characters");
    }
    return n;
  }

  private static Set<String> checkScopes(KeyType type, Set<String> scopes) {
    Set<String> s = scopes == null ? Set.of() : scopes;
    if (type != KeyType.LP) {
      if (!s.isEmpty()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "only lp_ keys take scopes");
      }
      return Set.of();
    }
    return ApiKeyScopes.validate(s);
  }

  private static LensgateException notFound() {
    return new LensgateException(ErrorCode.NOT_FOUND, "no such key");
  }
}
