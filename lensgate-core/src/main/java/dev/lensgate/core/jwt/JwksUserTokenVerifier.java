package dev.lensgate.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.lensgate.core.config.JwtSettings;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies user JWTs against a JWKS (CONTRACT §5).
 *
 * <p>Checks, in order: size; compact JWS form (an unsigned {@code alg: none} token does not parse
 * as one); {@code alg} in the configured allow-list, itself a subset of RS256, PS256, ES256, EdDSA
 * (so HMAC never runs, and a public key can never be misused as an HMAC secret); no
 * {@code crit} headers; a signature from a key whose type and curve fit the algorithm and whose
 * {@code kid} matches (a miss refetches the JWKS at most once per {@link #MIN_REFETCH_INTERVAL});
 * {@code exp} present and not passed, {@code nbf} and {@code iat} not in the future, all with
 * {@link #CLOCK_SKEW}; {@code iss} equal to the issuer; {@code aud} containing the audience.
 *
 * <p>Thread-safe. Time comes from the injected {@link Clock}.
 */
public final class JwksUserTokenVerifier implements UserTokenVerifier {
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
  /** A key set older than this is refreshed on next use (keys get revoked, not only added). */
  public static final Duration MAX_JWKS_AGE = Duration.ofMinutes(15);
  public static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
  /** Longest token accepted, in characters; checked before parsing. */
  public static final int MAX_TOKEN_LENGTH = 8 * 1024;

  private final JwksCache keys;
  private final String issuer;
  private final String audience;
  private final Set<JWSAlgorithm> algorithms;
  private final Clock clock;

  private JwksUserTokenVerifier(Builder b) {
    this.keys = new JwksCache(b.source, b.clock, MIN_REFETCH_INTERVAL, MAX_JWKS_AGE);
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.algorithms = Set.copyOf(b.parsedAlgorithms());
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The verifier for a config's {@code auth.jwt}. */
  public static JwksUserTokenVerifier fromSettings(JwtSettings settings, Clock clock) {
    JwksSource source = settings.jwksUrl().isPresent()
        ? JwksSource.url(settings.jwksUrl().get(), FETCH_TIMEOUT)
        : JwksSource.file(settings.jwksFile().orElseThrow());
    return builder()
        .jwksSource(source)
        .issuer(settings.issuer())
        .audience(settings.audience())
        .algorithms(settings.algorithms())
        .clock(clock)
        .build();
  }

  @Override
  public VerifiedClaims verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw invalid("user token is malformed");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw invalid("user token is malformed");
    }
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw invalid("user token algorithm is not allowed");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw invalid("user token has unsupported critical headers");
    }
    verifySignature(jwt);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw invalid("user token claims are malformed");
    }
    Instant expiresAt = checkTimes(claims);
    if (!issuer.equals(claims.getIssuer())) {
      throw invalid("user token issuer does not match");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(audience)) {
      throw invalid("user token audience does not match");
    }
    return new VerifiedClaims(claims.toJSONObject(), expiresAt);
  }

  private void verifySignature(SignedJWT jwt) {
    JWKSet set = keys.current();
    if (set == null) {
      throw invalid("user token signing keys are unavailable");
    }
    List<com.nimbusds.jose.JWSVerifier> candidates = KeySelection.verifiersFor(jwt.getHeader(), set);
    if (candidates.isEmpty()) {
      JWKSet refreshed = keys.refreshAfterMiss(set);
      if (refreshed != null && refreshed != set) {
        candidates = KeySelection.verifiersFor(jwt.getHeader(), refreshed);
      }
      if (candidates.isEmpty()) {
        throw invalid("user token key is unknown");
      }
    }
    for (com.nimbusds.jose.JWSVerifier verifier : candidates) {
      try {
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | RuntimeException e) {
        // A key that cannot check this signature is just not the right key.
      }
    }
    throw invalid("user token signature is invalid");
  }

  private Instant checkTimes(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw invalid("user token has no expiry");
    }
    Instant expiresAt = exp.toInstant();
    if (now.isAfter(expiresAt.plus(CLOCK_SKEW))) {
      throw invalid("user token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(CLOCK_SKEW))) {
      throw invalid("user token is not valid yet");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.isBefore(iat.toInstant().minus(CLOCK_SKEW))) {
      throw invalid("user token was issued in the future");
    }
    return expiresAt;
  }

  private static LensgateException invalid(String message) {
    return new LensgateException(ErrorCode.INVALID_USER_TOKEN, message);
  }

  /** Validating builder: every setting is required; an unsafe algorithm fails {@link #build()}. */
  public static final class Builder {
    private JwksSource source;
    private String issuer;
    private String audience;
    private Collection<String> algorithms = JwtSettings.SUPPORTED_ALGORITHMS;
    private Clock clock;

    private Builder() {}

    public Builder jwksSource(JwksSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    public Builder audience(String audience) {
      this.audience = Objects.requireNonNull(audience, "audience");
      return this;
    }

    /** Defaults to all of {@link JwtSettings#SUPPORTED_ALGORITHMS}. */
    public Builder algorithms(Collection<String> algorithms) {
      this.algorithms = List.copyOf(algorithms);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public JwksUserTokenVerifier build() {
      Objects.requireNonNull(source, "jwksSource is required");
      Objects.requireNonNull(clock, "clock is required");
      if (issuer == null || issuer.isBlank()) {
        throw new IllegalStateException("issuer is required");
      }
      if (audience == null || audience.isBlank()) {
        throw new IllegalStateException("audience is required");
      }
      if (algorithms.isEmpty() || !JwtSettings.SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
        throw new IllegalStateException("algorithms must be a non-empty subset of " + JwtSettings.SUPPORTED_ALGORITHMS);
      }
      return new JwksUserTokenVerifier(this);
    }

    Set<JWSAlgorithm> parsedAlgorithms() {
      Set<JWSAlgorithm> out = new LinkedHashSet<>();
      for (String a : algorithms) {
        out.add(JWSAlgorithm.parse(a));
      }
      return out;
    }
  }
}
