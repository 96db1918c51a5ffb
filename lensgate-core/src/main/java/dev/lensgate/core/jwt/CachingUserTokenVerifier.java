package dev.lensgate.core.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Remembers tokens that passed full verification, so an app that sends the same user token on
 * every request pays the signature check (≈1 ms for ES256 on Java 17) once, not per request.
 *
 * <p>Security notes: only verified tokens are cached, so garbage cannot fill the cache; the key is
 * the exact token text, signature included; a hit is re-checked against the token's own {@code exp}
 * (plus the verifier's skew) on the injected clock, so expiry is as exact as without the cache; an
 * entry lives at most {@code maxAge}, which bounds how long a token signed by a key since removed
 * from the JWKS keeps working. Thread-safe; memory bounded by {@code maxTokens}.
 */
public final class CachingUserTokenVerifier implements UserTokenVerifier {
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(60);
  public static final long DEFAULT_MAX_TOKENS = 10_000;

  private final UserTokenVerifier delegate;
  private final Clock clock;
  private final Duration skew;
  private final Cache<String, VerifiedClaims> verified;

  /**
   * @param skew the delegate's clock skew for {@code exp}, applied again on every hit
   */
  public CachingUserTokenVerifier(UserTokenVerifier delegate, Clock clock, Duration skew, Duration maxAge, long maxTokens) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.skew = Objects.requireNonNull(skew, "skew");
    if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("maxAge must be between 1 ms and 5 minutes");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be positive");
    }
    this.verified = Caffeine.newBuilder()
        .maximumSize(maxTokens)
        .expireAfterWrite(maxAge)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build();
  }

  /** Wraps a JWKS verifier with the default age and size bounds and its 60 s skew. */
  public static CachingUserTokenVerifier around(JwksUserTokenVerifier delegate, Clock clock) {
    return new CachingUserTokenVerifier(delegate, clock, JwksUserTokenVerifier.CLOCK_SKEW, DEFAULT_MAX_AGE, DEFAULT_MAX_TOKENS);
  }

  @Override
  public VerifiedClaims verify(String token) {
    if (token != null) {
      VerifiedClaims hit = verified.getIfPresent(token);
      if (hit != null) {
        if (!clock.instant().isAfter(hit.expiresAt().plus(skew))) {
          return hit;
        }
        verified.invalidate(token);
      }
    }
    VerifiedClaims fresh = delegate.verify(token);
    verified.put(token, fresh);
    return fresh;
  }
}
