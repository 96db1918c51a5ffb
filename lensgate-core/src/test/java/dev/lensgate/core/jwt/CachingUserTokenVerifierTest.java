package dev.lensgate.core.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingUserTokenVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final TestIssuer ISSUER = TestIssuer.create(NOW);
  private final MutableClock clock = new MutableClock(NOW);
  private final AtomicInteger fullVerifications = new AtomicInteger();
  private final JwksUserTokenVerifier real = JwksUserTokenVerifier.builder()
      .jwksSource(JwksSource.of(ISSUER.jwksJson())).issuer(TestIssuer.ISSUER).audience(TestIssuer.AUDIENCE).clock(clock).build();
  private final UserTokenVerifier counting = token -> {
    fullVerifications.incrementAndGet();
    return real.verify(token);
  };
  private final CachingUserTokenVerifier cached =
      new CachingUserTokenVerifier(counting, clock, JwksUserTokenVerifier.CLOCK_SKEW, Duration.ofSeconds(60), 100);

  @Test
  void verify_sameTokenTwice_checksSignatureOnce() {
    String token = ISSUER.es256().claim("orgId", "acme").sign();
    assertThat(cached.verify(token).claims()).containsEntry("orgId", "acme");
    assertThat(cached.verify(token).claims()).containsEntry("orgId", "acme");
    assertThat(fullVerifications).hasValue(1);
  }

  @Test
  void verify_cachedTokenPastExpiryPlusSkew_isRefused() {
    String token = ISSUER.es256().expiresAt(NOW.plusSeconds(30)).sign();
    cached.verify(token);
    clock.set(NOW.plusSeconds(30).plus(JwksUserTokenVerifier.CLOCK_SKEW));
    assertThat(cached.verify(token)).isNotNull();
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> cached.verify(token))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_USER_TOKEN));
  }

  @Test
  void verify_entryOlderThanMaxAge_isVerifiedAgain() {
    String token = ISSUER.es256().sign();
    cached.verify(token);
    clock.advance(Duration.ofSeconds(61));
    cached.verify(token);
    assertThat(fullVerifications).hasValue(2);
  }

  @Test
  void verify_invalidTokens_areNeverCached() {
    String forged = ISSUER.hs256WithPublicKey();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> cached.verify(forged)).isInstanceOf(LensgateException.class);
    }
    assertThat(fullVerifications).hasValue(3);
  }

  @Test
  void verify_tokenDifferingOnlyInSignature_isVerifiedOnItsOwn() {
    String token = ISSUER.es256().sign();
    cached.verify(token);
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BA" : "AA");
    assertThatThrownBy(() -> cached.verify(tampered)).isInstanceOf(LensgateException.class);
  }

  @Test
  void constructor_unsafeMaxAge_isRejected() {
    assertThatThrownBy(() -> new CachingUserTokenVerifier(counting, clock, Duration.ZERO, Duration.ofHours(1), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
