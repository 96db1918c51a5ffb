package dev.lensgate.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lensgate.core.jwt.JwksUserTokenVerifier;
import dev.lensgate.core.jwt.UserTokenVerifier;
import dev.lensgate.core.jwt.VerifiedClaims;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Measurement-only sketch of a verified-token cache, NOT used by the gateway: it exists so the
 * benchmark can show what the authorize path costs once an ES256 signature is not re-checked on
 * every request of the same token.
 *
 * <p>Design measured: only tokens that passed full verification are cached (so invalid tokens cannot
 * fill it), keyed by the exact token text (signature included), for at most {@code maxAge} (bounds
 * how long a key removed from the JWKS keeps working), and a hit is re-checked against the token's
 * own expiry with the verifier's clock skew.
 */
final class VerifiedTokenCacheSketch implements UserTokenVerifier {
  private final UserTokenVerifier delegate;
  private final Clock clock;
  private final Cache<String, VerifiedClaims> verified;

  VerifiedTokenCacheSketch(UserTokenVerifier delegate, Clock clock, Duration maxAge, long maxTokens) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.verified = Caffeine.newBuilder()
        .maximumSize(maxTokens)
        .expireAfterWrite(maxAge)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .build();
  }

  @Override
  public VerifiedClaims verify(String token) {
    if (token != null) {
      VerifiedClaims hit = verified.getIfPresent(token);
      if (hit != null && !clock.instant().isAfter(hit.expiresAt().plus(JwksUserTokenVerifier.CLOCK_SKEW))) {
        return hit;
      }
    }
    VerifiedClaims fresh = delegate.verify(token);
    verified.put(token, fresh);
    return fresh;
  }
}
