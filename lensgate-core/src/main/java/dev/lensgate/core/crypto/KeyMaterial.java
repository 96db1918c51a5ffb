package dev.lensgate.core.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import dev.lensgate.core.auth.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything secret the gateway derives from the master keyset.
 *
 * <ul>
 *   <li>{@link #envelope()}: the master AEAD (the keyset's primary key) wrapping per-secret data keys.
 *   <li>{@link #pepper(KeyType)}: one HMAC key per API key type, so a hash computed for one type
 *       can never match a stored hash of another.
 *   <li>{@link #cursorKey()}: the key the query layer signs cursors with.
 * </ul>
 *
 * <p>Derivation: HKDF-SHA-256 with salt {@code "lensgate/key-material/v1"}, input keying material
 * the raw bytes of the keyset's <em>first</em> AES-256-GCM key (entry 0), and one info label per
 * purpose ({@code lensgate/v1/pepper/sk}, {@code …/pk}, {@code …/ik}, {@code …/rk},
 * {@code …/lp}, {@code lensgate/v1/cursor}). Entry 0 is used rather than the primary so that adding
 * and promoting a new AEAD key (re-wrapping credentials) does not silently invalidate every API key
 * hash; changing peppers is a separate, deliberate migration. None of these values is ever stored
 * in the database.
 *
 * <p>Thread safety: immutable after construction; accessors return fresh copies.
 */
public final class KeyMaterial {
  private static final byte[] SALT = "lensgate/key-material/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int DERIVED_KEY_BYTES = 32;

  private final Aead masterAead;
  private final EnvelopeCipher envelope;
  private final Map<KeyType, byte[]> peppers = new EnumMap<>(KeyType.class);
  private final byte[] cursorKey;

  KeyMaterial(KeysetHandle keyset, SecureRandom random) {
    try {
      this.masterAead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
      byte[] ikm = firstKeyBytes(keyset);
      try {
        for (KeyType type : KeyType.values()) {
          peppers.put(type, Hkdf.deriveSha256(ikm, SALT, "lensgate/v1/pepper/" + type.prefix(), DERIVED_KEY_BYTES));
        }
        this.cursorKey = Hkdf.deriveSha256(ikm, SALT, "lensgate/v1/cursor", DERIVED_KEY_BYTES);
      } finally {
        Arrays.fill(ikm, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw new MasterKeyException("master keyset is not a usable AES-256-GCM keyset", e);
    }
    this.envelope = new EnvelopeCipher(masterAead, random);
  }

  private static byte[] firstKeyBytes(KeysetHandle keyset) {
    if (keyset.size() == 0) {
      throw new MasterKeyException("master keyset is empty");
    }
    for (int i = 0; i < keyset.size(); i++) {
      if (!(keyset.getAt(i).getKey() instanceof AesGcmKey)) {
        throw new MasterKeyException("master keyset must contain only AES-GCM keys");
      }
    }
    AesGcmKey first = (AesGcmKey) keyset.getAt(0).getKey();
    if (first.getParameters().getKeySizeBytes() != 32) {
      throw new MasterKeyException("master keyset's first key must be AES-256-GCM");
    }
    return first.getKeyBytes().toByteArray(InsecureSecretKeyAccess.get());
  }

  /** The HMAC-SHA-256 pepper for API keys of {@code type} (32 bytes, a fresh copy). */
  public SecretBytes pepper(KeyType type) {
    return SecretBytes.copyOf(peppers.get(type));
  }

  /** The cursor-signing key (32 bytes, a fresh copy). */
  public SecretBytes cursorKey() {
    return SecretBytes.copyOf(cursorKey);
  }

  /** Envelope encryption of stored secrets under the master AEAD. */
  public EnvelopeCipher envelope() {
    return envelope;
  }

  @Override
  public String toString() {
    return "KeyMaterial[redacted]";
  }
}
