package dev.lensgate.server.authenticate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.auth.Principal;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyFormat;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.ParsedApiKey;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.store.ApiKeyRepository;
import dev.lensgate.server.store.LastUsedTracker;
import dev.lensgate.server.store.StoredApiKey;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a presented API key into a {@link Principal}, or fails with a stable code.
 *
 * <p>Order of checks, cheapest first: header shape → offline format + checksum (no database) →
 * HMAC under the type's pepper → cache → database lookup (by HMAC; {@code lp_}: by key id, then
 * bcrypt) → slug of the key equals the slug of its environment/organization → revoked / grace over.
 *
 * <p>Non-disclosure: unknown, malformed, mis-checksummed and wrong-environment keys all give
 * {@code invalid_api_key}; an unknown {@code lp_} key id still pays one bcrypt against a dummy
 * hash, and a secret is verified before revocation is revealed. Hash comparisons are
 * constant-time. Nothing here logs, and no message contains the key.
 *
 * <p>Cache: verified keys (valid or revoked) are cached by the HMAC of the full presented key, so a
 * hit costs one HMAC and a hash-map lookup, and bcrypt is not paid per request. A revocation
 * published on this node's {@link KeyRevocations} evicts the key at once; a revocation-epoch check
 * keeps a lookup that raced the revocation from re-caching stale state. Revocations made by other
 * processes sharing the store (the CLI, other gateways) reach the same {@link KeyRevocations} through
 * {@link dev.lensgate.server.store.RevocationPoller} within its poll interval, so the hot path never
 * asks the database; {@code cacheTtl} bounds staleness only while that signal is failing.
 *
 * <p>Thread-safe.
 */
public final class KeyAuthenticator implements AutoCloseable {
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);
  private static final int MAX_CACHED_KEYS = 100_000;

  /** A verification outcome; immutable, safe to share between requests. */
  private record Verified(Principal principal, Instant revokedAt, Instant expiresAt) {}

  private final ApiKeyRepository keys;
  private final KeyHasher hasher;
  private final PartnerSecretHasher partnerHasher;
  private final LastUsedTracker lastUsed;
  private final Clock clock;
  private final String dummyPartnerHash;
  private final Cache<ByteBuffer, Verified> cache;
  private final AtomicLong revocationEpoch = new AtomicLong();
  private final KeyRevocations.Subscription subscription;

  /**
   * @param keys lookups of stored keys
   * @param hasher the same peppers that {@code ApiKeyService} hashed with
   * @param partnerHasher bcrypt for {@code lp_} secrets (also computes the dummy hash, once, here)
   * @param lastUsed told of every successful authentication
   * @param revocations subscribed to, so revocations on this node evict cached keys
   * @param cacheTtl how long a verification is trusted; bounds staleness if revocation polling fails
   */
  public KeyAuthenticator(ApiKeyRepository keys, KeyHasher hasher, PartnerSecretHasher partnerHasher,
      LastUsedTracker lastUsed, KeyRevocations revocations, Clock clock, Duration cacheTtl) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.partnerHasher = Objects.requireNonNull(partnerHasher, "partnerHasher");
    this.lastUsed = Objects.requireNonNull(lastUsed, "lastUsed");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (cacheTtl.isNegative() || cacheTtl.isZero()) {
      throw new IllegalArgumentException("cacheTtl must be positive");
    }
    try (SecretBytes dummy = SecretBytes.random(ApiKeyFormat.BODY_CHARS, new SecureRandom())) {
      this.dummyPartnerHash = partnerHasher.hash(dummy);
    }
    this.cache = Caffeine.newBuilder()
        .maximumSize(MAX_CACHED_KEYS)
        .expireAfterWrite(cacheTtl)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build();
    this.subscription = revocations.subscribe(this::evict);
  }

  /**
   * Authenticates an {@code Authorization} header value ({@code Bearer <key>}).
   *
   * @throws LensgateException {@code MISSING_API_KEY}, {@code INVALID_API_KEY} or {@code KEY_REVOKED}
   */
  public Principal authenticate(String authorizationHeaderValue) {
    return authenticateKey(BearerToken.extract(authorizationHeaderValue));
  }

  /**
   * Authenticates a bare key (WebSocket {@code ?apiKey=} / runner {@code ?token=}).
   *
   * @throws LensgateException as {@link #authenticate}
   */
  public Principal authenticateKey(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      throw missing();
    }
    ParsedApiKey parsed = ApiKeyFormat.parse(presentedKey).orElseThrow(KeyAuthenticator::invalid);
    byte[] hmac = hasher.hash(parsed.type(), presentedKey);
    ByteBuffer cacheKey = ByteBuffer.wrap(hmac);
    Verified verified = cache.getIfPresent(cacheKey);
    if (verified == null) {
      verified = verifyAndCache(parsed, hmac, cacheKey);
    }
    return admit(verified);
  }

  private Principal admit(Verified v) {
    if (v.revokedAt() != null || (v.expiresAt() != null && !clock.instant().isBefore(v.expiresAt()))) {
      throw new LensgateException(ErrorCode.KEY_REVOKED, "API key has been revoked");
    }
    lastUsed.touch(v.principal().keyId());
    return v.principal();
  }

  private Verified verifyAndCache(ParsedApiKey parsed, byte[] hmac, ByteBuffer cacheKey) {
    long epoch = revocationEpoch.get();
    StoredApiKey stored = parsed.type() == KeyType.LP ? verifyPartner(parsed) : verifyHashed(hmac);
    if (stored.type() != parsed.type() || !stored.ownerSlug().equals(parsed.slug())) {
      throw invalid();
    }
    Verified v = new Verified(
        new Principal(stored.id(), stored.type(), stored.orgId(), stored.envId(), stored.scopes()),
        stored.revokedAt(), stored.expiresAt());
    cache.put(cacheKey, v);
    if (revocationEpoch.get() != epoch) {
      // A revocation ran while we read the database; what we read may predate it.
      cache.invalidate(cacheKey);
    }
    return v;
  }

  private StoredApiKey verifyHashed(byte[] hmac) {
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(hmac);
    StoredApiKey stored = keys.findByHmac(encoded).orElseThrow(KeyAuthenticator::invalid);
    byte[] storedHmac = Base64.getUrlDecoder().decode(stored.secretHmac());
    if (!SecretBytes.equalsConstantTime(storedHmac, hmac)) {
      throw invalid();
    }
    return stored;
  }

  private StoredApiKey verifyPartner(ParsedApiKey parsed) {
    Optional<StoredApiKey> stored = keys.findPartnerKey(parsed.partnerKeyId().orElseThrow());
    try (SecretBytes secret = parsed.partnerSecret()) {
      // Same bcrypt work whether or not the key id exists.
      String hash = stored.map(StoredApiKey::secretBcrypt).orElse(dummyPartnerHash);
      boolean matches = partnerHasher.verify(secret, hash);
      if (!matches || stored.isEmpty()) {
        throw invalid();
      }
      return stored.get();
    }
  }

  private void evict(KeyRevocation revocation) {
    revocationEpoch.incrementAndGet();
    cache.asMap().values().removeIf(v -> v.principal().keyId().equals(revocation.keyId()));
  }

  /** Stops listening for revocations. */
  @Override
  public void close() {
    subscription.close();
  }

  static LensgateException missing() {
    return new LensgateException(ErrorCode.MISSING_API_KEY, "missing API key (expected Authorization: Bearer <key>)");
  }

  static LensgateException invalid() {
    return new LensgateException(ErrorCode.INVALID_API_KEY, "invalid API key");
  }
}
