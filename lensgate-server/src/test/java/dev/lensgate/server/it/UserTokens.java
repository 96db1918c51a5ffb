package dev.lensgate.server.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.lensgate.core.jwt.DevIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The end-user side of the tests: a JWKS file holding one ES256 key (the dev issuer's) and one
 * RS256 key, valid tokens from both, and every kind of bad token an attacker or a misconfigured
 * IdP produces (expired, wrong audience or issuer, unknown kid, {@code alg: none}, HS256 keyed with
 * the public RSA key, garbage).
 */
final class UserTokens {
  static final String ISSUER = "https://idp.it.lensgate.test";
  static final String AUDIENCE = "lensgate-it";

  private final DevIssuer es256;
  private final RSAKey rsa;
  private final ECKey stranger;
  private final Path jwksFile;
  private final Clock clock;

  private UserTokens(DevIssuer es256, RSAKey rsa, ECKey stranger, Path jwksFile, Clock clock) {
    this.es256 = es256;
    this.rsa = rsa;
    this.stranger = stranger;
    this.jwksFile = jwksFile;
    this.clock = clock;
  }

  /** Generates the keys and writes the public JWKS (ES256 + RS256) to {@code jwksFile}. */
  static UserTokens create(Path jwksFile) {
    Clock clock = Clock.systemUTC();
    try {
      DevIssuer es = DevIssuer.generate(ISSUER, AUDIENCE, clock);
      RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256).generate();
      ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger-" + UUID.randomUUID())
          .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
      List<JWK> keys = new ArrayList<>(JWKSet.parse(es.jwksJson()).getKeys());
      keys.add(rsa.toPublicJWK());
      Files.writeString(jwksFile, new JWKSet(keys).toString(), StandardCharsets.UTF_8);
      return new UserTokens(es, rsa, stranger, jwksFile, clock);
    } catch (JOSEException | ParseException | IOException e) {
      throw new IllegalStateException("could not set up the test issuer", e);
    }
  }

  /** The {@code auth:} section of a config that trusts these keys. */
  String authYaml() {
    return "auth:\n"
        + "  jwt:\n"
        + "    jwksFile: " + jwksFile.toAbsolutePath() + "\n"
        + "    issuer: " + ISSUER + "\n"
        + "    audience: " + AUDIENCE + "\n";
  }

  /** A valid ES256 token from the dev issuer. */
  String es256(String subject, Map<String, ?> claims) {
    return es256.mint(subject, claims, Duration.ofHours(1));
  }

  /** A valid RS256 token. */
  String rs256(String subject, Map<String, ?> claims) {
    return rsaSigned(subject, claims, ISSUER, AUDIENCE, clock.instant().plus(Duration.ofHours(1)));
  }

  /** Expired well beyond the 60 s skew. */
  String rs256Expired(Map<String, ?> claims) {
    return rsaSigned("expired-user", claims, ISSUER, AUDIENCE, clock.instant().minus(Duration.ofHours(1)));
  }

  String rs256WrongAudience(Map<String, ?> claims) {
    return rsaSigned("user", claims, ISSUER, "some-other-api", clock.instant().plus(Duration.ofHours(1)));
  }

  String rs256WrongIssuer(Map<String, ?> claims) {
    return rsaSigned("user", claims, "https://evil.example", AUDIENCE, clock.instant().plus(Duration.ofHours(1)));
  }

  /** Well-formed and ES256-signed, but by a key whose kid the JWKS does not have. */
  String unknownKid(Map<String, ?> claims) {
    try {
      return sign(new ECDSASigner(stranger), JWSAlgorithm.ES256, stranger.getKeyID(),
          claims("user", claims, ISSUER, AUDIENCE, clock.instant().plus(Duration.ofHours(1))));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with otherwise perfect claims. */
  String algNone(Map<String, ?> claims) {
    return new PlainJWT(claims("user", claims, ISSUER, AUDIENCE, clock.instant().plus(Duration.ofHours(1)))).serialize();
  }

  /** The classic key-confusion attack: HS256 with the RSA public key's bytes as the HMAC secret. */
  String hs256WithPublicKey(Map<String, ?> claims) {
    try {
      byte[] secret = rsa.toRSAPublicKey().getEncoded();
      return sign(new MACSigner(secret), JWSAlgorithm.HS256, rsa.getKeyID(),
          claims("user", claims, ISSUER, AUDIENCE, clock.instant().plus(Duration.ofHours(1))));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String garbage() {
    return "eyJnYXJiYWdl.not-a-token.at-all";
  }

  private String rsaSigned(String subject, Map<String, ?> claims, String issuer, String audience, Instant exp) {
    try {
      return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims(subject, claims, issuer, audience, exp));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private JWTClaimsSet claims(String subject, Map<String, ?> extra, String issuer, String audience, Instant exp) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    extra.forEach(b::claim);
    // Issued "now" unless the token is meant to be expired, so only exp makes it invalid.
    Instant issued = exp.isBefore(now) ? exp.minus(Duration.ofHours(1)) : now;
    return b.subject(subject).issuer(issuer).audience(audience).issueTime(Date.from(issued))
        .notBeforeTime(Date.from(issued)).expirationTime(Date.from(exp)).jwtID(UUID.randomUUID().toString()).build();
  }

  private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }
}
