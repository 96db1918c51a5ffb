package dev.lensgate.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only token issuer: RS256, PS256, ES256 and EdDSA keys published as a JWKS (string or file),
 * and a builder for good and deliberately broken tokens. Time is explicit: every token is built
 * relative to the {@code now} given at creation.
 */
public final class TestIssuer {
  public static final String ISSUER = "https://issuer.test";
  public static final String AUDIENCE = "lensgate-test";

  private final Instant now;
  private final RSAKey rsa;
  private final ECKey ec;
  private final OctetKeyPair ed;

  private TestIssuer(Instant now) {
    this.now = now;
    try {
      this.rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      this.ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
      this.ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestIssuer create(Instant now) {
    return new TestIssuer(now);
  }

  /** Public keys only. */
  public String jwksJson() {
    return new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), ed.toPublicJWK())).toString();
  }

  /** A JWKS with only some of the keys, or extra ones, for rotation tests. */
  public static String jwksJson(JWK... keys) {
    List<JWK> pub = new ArrayList<>();
    for (JWK k : keys) {
      pub.add(k.toPublicJWK());
    }
    return new JWKSet(pub).toString();
  }

  public Path writeJwks(Path file) {
    try {
      return Files.writeString(file, jwksJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RSAKey rsaKey() { return rsa; }

  public ECKey ecKey() { return ec; }

  public Token rs256() { return new Token(JWSAlgorithm.RS256, rsa); }

  public Token ps256() { return new Token(JWSAlgorithm.PS256, rsa); }

  public Token es256() { return new Token(JWSAlgorithm.ES256, ec); }

  public Token edDsa() { return new Token(JWSAlgorithm.EdDSA, ed); }

  /** A token signed with a freshly generated RSA key that no JWKS contains, under {@code kid}. */
  public Token rs256WithUnknownKey(String kid) {
    try {
      return new Token(JWSAlgorithm.RS256, new RSAKeyGenerator(2048).keyID(kid).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token: header {@code {"alg":"none"}}, valid claims, empty signature. */
  public String algNone() {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    String payload = Base64URL.encode(es256().claims().toString()).toString();
    return header + "." + payload + ".";
  }

  /**
   * The classic key-confusion attack: HS256 with the RSA public key's encoded bytes as the HMAC
   * secret, naming the RSA key's kid.
   */
  public String hs256WithPublicKey() {
    try {
      byte[] secret = rsa.toRSAPublicKey().getEncoded();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
          rs256().claims());
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token under construction; starts valid (iss, aud, sub, iat = now, exp = now + 1h). */
  public final class Token {
    private final JWSAlgorithm alg;
    private final JWK key;
    private String kid;
    private final Map<String, Object> claims = new LinkedHashMap<>();

    private Token(JWSAlgorithm alg, JWK key) {
      this.alg = alg;
      this.key = key;
      this.kid = key.getKeyID();
      claims.put("iss", ISSUER);
      claims.put("aud", AUDIENCE);
      claims.put("sub", "user-1");
      claims.put("iat", new Date(now.toEpochMilli()));
      claims.put("exp", new Date(now.plusSeconds(3600).toEpochMilli()));
    }

    /** The signing key (private), e.g. to publish it in a rotated JWKS. */
    public JWK key() {
      return key;
    }

    public Token claim(String name, Object value) {
      claims.put(name, value);
      return this;
    }

    public Token without(String name) {
      claims.remove(name);
      return this;
    }

    public Token issuer(String iss) { return claim("iss", iss); }

    public Token audience(String aud) { return claim("aud", aud); }

    public Token expiresAt(Instant exp) { return claim("exp", new Date(exp.toEpochMilli())); }

    public Token notBefore(Instant nbf) { return claim("nbf", new Date(nbf.toEpochMilli())); }

    public Token issuedAt(Instant iat) { return claim("iat", new Date(iat.toEpochMilli())); }

    public Token kid(String keyId) {
      this.kid = keyId;
      return this;
    }

    JWTClaimsSet claims() {
      JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
      claims.forEach(b::claim);
      return b.build();
    }

    public String sign() {
      try {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims());
        jwt.sign(signer());
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    private JWSSigner signer() throws JOSEException {
      if (key instanceof RSAKey) {
        return new RSASSASigner((RSAKey) key);
      }
      if (key instanceof ECKey) {
        return new ECDSASigner((ECKey) key);
      }
      return new Ed25519Signer((OctetKeyPair) key);
    }
  }
}
