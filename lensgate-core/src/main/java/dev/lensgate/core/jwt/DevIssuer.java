package dev.lensgate.core.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The local development issuer behind {@code lensgate demo} and {@code lensgate token mint}: one
 * ES256 key pair, its public JWKS, and a way to mint user tokens.
 *
 * <p>Development only: the private key lives in memory and, when {@link #save saved}, in a file
 * readable by its owner only (0600 where the file system supports it), so {@code token mint} in
 * another process can sign for a running demo. {@link #toString()} never shows the key.
 */
public final class DevIssuer {
  /** The longest lifetime {@link #mint} grants. */
  public static final Duration MAX_TTL = Duration.ofDays(30);
  private static final Set<String> RESERVED = Set.of("iss", "aud", "sub", "exp", "nbf", "iat", "jti");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ECKey key;
  private final String issuer;
  private final String audience;
  private final Clock clock;
  private final ECDSASigner signer;

  private DevIssuer(ECKey key, String issuer, String audience, Clock clock) {
    this.key = key;
    this.issuer = requireText(issuer, "issuer");
    this.audience = requireText(audience, "audience");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.signer = new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("dev issuer key is unusable", e);
    }
  }

  /** A fresh P-256 key pair with a random key id. */
  public static DevIssuer generate(String issuer, String audience, Clock clock) {
    try {
      ECKey key = new ECKeyGenerator(Curve.P_256)
          .keyID("dev-" + UUID.randomUUID())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .generate();
      return new DevIssuer(key, issuer, audience, clock);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate a dev issuer key", e);
    }
  }

  /** Reads a file written by {@link #save}. */
  public static DevIssuer load(Path keyFile, Clock clock) throws IOException {
    JsonNode doc = JSON.readTree(Files.readString(keyFile, StandardCharsets.UTF_8));
    if (doc == null || !doc.path("key").isObject() || !doc.path("issuer").isTextual() || !doc.path("audience").isTextual()) {
      throw new IOException("not a dev issuer key file");
    }
    try {
      JWK jwk = JWK.parse(JSON.writeValueAsString(doc.get("key")));
      if (!(jwk instanceof ECKey) || !jwk.isPrivate() || !Curve.P_256.equals(((ECKey) jwk).getCurve())) {
        throw new IOException("dev issuer key file does not hold a private P-256 key");
      }
      return new DevIssuer((ECKey) jwk, doc.get("issuer").asText(), doc.get("audience").asText(), clock);
    } catch (ParseException e) {
      throw new IOException("dev issuer key file is malformed");
    }
  }

  /**
   * Writes the private key, issuer and audience to {@code keyFile}, replacing it atomically; the
   * file is created owner-read/write only before any key byte is written.
   */
  public void save(Path keyFile) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("issuer", issuer);
    doc.put("audience", audience);
    doc.set("key", JSON.valueToTree(key.toJSONObject()));
    Path dir = keyFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? Files.createTempFile(dir, ".devissuer", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, ".devissuer", ".tmp");
    try {
      Files.writeString(tmp, JSON.writeValueAsString(doc), StandardCharsets.UTF_8);
      Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The public JWKS document ({@code {"keys":[...]}}), safe to publish. */
  public String jwksJson() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** Writes {@link #jwksJson()} to a file, e.g. for {@code auth.jwt.jwksFile}. */
  public void writeJwks(Path file) throws IOException {
    Files.writeString(file, jwksJson(), StandardCharsets.UTF_8);
  }

  public String issuer() { return issuer; }

  public String audience() { return audience; }

  public String keyId() { return key.getKeyID(); }

  /**
   * Mints a user token.
   *
   * @param claims extra claims with JSON-like values; must not set iss, aud, sub, exp, nbf, iat, jti
   * @param ttl positive, at most {@link #MAX_TTL}
   */
  public String mint(String subject, Map<String, ?> claims, Duration ttl) {
    requireText(subject, "subject");
    Objects.requireNonNull(claims, "claims");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most " + MAX_TTL);
    }
    Instant now = clock.instant();
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    for (Map.Entry<String, ?> e : claims.entrySet()) {
      if (RESERVED.contains(e.getKey())) {
        throw new IllegalArgumentException("claim " + e.getKey() + " is set by the issuer");
      }
      b.claim(e.getKey(), e.getValue());
    }
    b.issuer(issuer).audience(audience).subject(subject)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString());
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), b.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a dev token", e);
    }
    return jwt.serialize();
  }

  /** A verifier that accepts exactly this issuer's tokens. */
  public UserTokenVerifier verifier() {
    return JwksUserTokenVerifier.builder()
        .jwksSource(JwksSource.of(jwksJson()))
        .issuer(issuer)
        .audience(audience)
        .algorithms(java.util.List.of("ES256"))
        .clock(clock)
        .build();
  }

  @Override
  public String toString() {
    return "DevIssuer[issuer=" + issuer + ", kid=" + key.getKeyID() + "]";
  }

  private static String requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " is required");
    }
    return s;
  }
}
