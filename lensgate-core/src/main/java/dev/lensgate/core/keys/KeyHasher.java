package dev.lensgate.core.keys;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.KeyMaterial;
import dev.lensgate.core.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 of a full key text under the pepper of its type: the at-rest form of
 * {@code sk/pk/ik/rk} keys and the cache key for verified {@code lp_} keys. Peppers differ per
 * type, so the same text hashed as two types gives unrelated values.
 *
 * <p>Thread-safe: each call works on its own clone of a per-type initialized {@link Mac}, which
 * costs far less than {@code Mac.getInstance} on the authentication hot path.
 */
public final class KeyHasher {
  private final Map<KeyType, Mac> prototypes = new EnumMap<>(KeyType.class);

  public KeyHasher(KeyMaterial material) {
    for (KeyType type : KeyType.values()) {
      try (SecretBytes pepper = material.pepper(type)) {
        byte[] k = pepper.reveal();
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(k, "HmacSHA256"));
          prototypes.put(type, mac);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("HmacSHA256 unavailable", e);
        } finally {
          Arrays.fill(k, (byte) 0);
        }
      }
    }
  }

  /** The 32-byte HMAC of {@code keyText} under {@code type}'s pepper. */
  public byte[] hash(KeyType type, String keyText) {
    return newMac(type).doFinal(keyText.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@link #hash} as unpadded base64url (43 characters), the form stored in the database. */
  public String hashForStorage(KeyType type, String keyText) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hash(type, keyText));
  }

  private Mac newMac(KeyType type) {
    Mac prototype = prototypes.get(type);
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      // The JDK's SunJCE HMAC is cloneable; a provider that is not must fail loudly at first use.
      throw new IllegalStateException("HmacSHA256 provider does not support clone", e);
    }
  }

  @Override
  public String toString() {
    return "KeyHasher[redacted]";
  }
}
