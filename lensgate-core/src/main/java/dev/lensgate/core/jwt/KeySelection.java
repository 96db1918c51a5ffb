package dev.lensgate.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the keys that may check a token's signature and builds a verifier for each. A key
 * qualifies only when its type (and curve) fits the header's algorithm, so an RSA key is never fed
 * to anything but an RSA verifier; a {@code kid} in the header must match exactly; a key's own
 * {@code use}/{@code alg}, when set, must allow this signature.
 */
final class KeySelection {
  /** A JWKS may hold many keys; without a kid we try at most this many. */
  private static final int MAX_CANDIDATES = 4;

  private KeySelection() {}

  static List<JWSVerifier> verifiersFor(JWSHeader header, JWKSet set) {
    JWSAlgorithm alg = header.getAlgorithm();
    String kid = header.getKeyID();
    List<JWSVerifier> out = new ArrayList<>();
    for (JWK key : set.getKeys()) {
      if (out.size() == MAX_CANDIDATES) {
        break;
      }
      if (kid != null && !kid.equals(key.getKeyID())) {
        continue;
      }
      if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
        continue;
      }
      if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) {
        continue;
      }
      try {
        JWSVerifier v = verifierFor(alg, key);
        if (v != null) {
          out.add(v);
        }
      } catch (JOSEException | RuntimeException e) {
        // Malformed or too-weak key (e.g. RSA under 2048 bits): not a candidate.
      }
    }
    return out;
  }

  private static JWSVerifier verifierFor(JWSAlgorithm alg, JWK key) throws JOSEException {
    if ((JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.PS256.equals(alg)) && key instanceof RSAKey) {
      return new RSASSAVerifier(((RSAKey) key).toPublicJWK());
    }
    if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECKey && Curve.P_256.equals(((ECKey) key).getCurve())) {
      return new ECDSAVerifier(((ECKey) key).toPublicJWK());
    }
    if (JWSAlgorithm.EdDSA.equals(alg) && key instanceof OctetKeyPair
        && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
      return new Ed25519Verifier(((OctetKeyPair) key).toPublicJWK());
    }
    return null;
  }
}
