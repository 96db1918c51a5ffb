package dev.lensgate.core.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Envelope encryption: every secret gets a fresh 256-bit data key (DEK); the DEK is encrypted by
 * the master AEAD, the secret by the DEK (AES-256-GCM), both with the same associated data.
 *
 * <p>Wire format (version 1): {@code 0x01 | u16 wrappedDekLength | wrappedDek | payload}, where
 * {@code wrappedDek = masterAead(dek, ad)} (Tink output prefix included, so a rotated master
 * keyset still opens old envelopes) and {@code payload = iv(12) | ciphertext | tag(16)}. The DEK is
 * wrapped as raw bytes rather than as a Tink encrypted keyset because the latter carries
 * unauthenticated metadata; here every byte is covered by a tag, which the byte-flip test checks.
 *
 * <p>Thread safety: stateless apart from the injected primitives; safe to share.
 */
public final class EnvelopeCipher {
  private static final byte VERSION = 1;
  private static final int DEK_BYTES = 32;
  private static final int HEADER_BYTES = 3;
  private static final int MAX_WRAPPED_DEK_BYTES = 1024;

  private final Aead master;
  private final SecureRandom random;

  EnvelopeCipher(Aead master, SecureRandom random) {
    this.master = Objects.requireNonNull(master, "master");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Seals {@code plaintext} for {@code binding}; the result is safe to store. */
  public byte[] seal(SecretBytes plaintext, CredentialBinding binding) {
    byte[] ad = binding.associatedData();
    byte[] dek = new byte[DEK_BYTES];
    random.nextBytes(dek);
    byte[] pt = plaintext.reveal();
    try {
      byte[] wrapped = master.encrypt(dek, ad);
      byte[] payload = dataKeyAead(dek).encrypt(pt, ad);
      if (wrapped.length > MAX_WRAPPED_DEK_BYTES) {
        throw new IllegalStateException("wrapped data key unexpectedly large");
      }
      return ByteBuffer.allocate(HEADER_BYTES + wrapped.length + payload.length)
          .put(VERSION)
          .putShort((short) wrapped.length)
          .put(wrapped)
          .put(payload)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("envelope encryption failed", e);
    } finally {
      Arrays.fill(dek, (byte) 0);
      Arrays.fill(pt, (byte) 0);
    }
  }

  /**
   * Opens an envelope sealed for the same {@code binding}.
   *
   * @throws DecryptionFailedException if the envelope was altered, belongs to another binding or
   *     was sealed under an unknown master key; never any other exception for bad input
   */
  public SecretBytes open(byte[] envelope, CredentialBinding binding) {
    Objects.requireNonNull(envelope, "envelope");
    if (envelope.length < HEADER_BYTES || envelope[0] != VERSION) {
      throw new DecryptionFailedException();
    }
    int wrappedLength = ((envelope[1] & 0xFF) << 8) | (envelope[2] & 0xFF);
    if (wrappedLength == 0 || wrappedLength > MAX_WRAPPED_DEK_BYTES
        || wrappedLength >= envelope.length - HEADER_BYTES) {
      throw new DecryptionFailedException();
    }
    byte[] ad = binding.associatedData();
    byte[] wrapped = Arrays.copyOfRange(envelope, HEADER_BYTES, HEADER_BYTES + wrappedLength);
    byte[] payload = Arrays.copyOfRange(envelope, HEADER_BYTES + wrappedLength, envelope.length);
    byte[] dek = null;
    try {
      dek = master.decrypt(wrapped, ad);
      if (dek.length != DEK_BYTES) {
        throw new DecryptionFailedException();
      }
      return SecretBytes.adopt(dataKeyAead(dek).decrypt(payload, ad));
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof DecryptionFailedException) {
        throw (DecryptionFailedException) e;
      }
      throw new DecryptionFailedException(e);
    } finally {
      if (dek != null) {
        Arrays.fill(dek, (byte) 0);
      }
    }
  }

  private static Aead dataKeyAead(byte[] dek) throws GeneralSecurityException {
    AesGcmParameters parameters = AesGcmParameters.builder()
        .setKeySizeBytes(DEK_BYTES)
        .setIvSizeBytes(12)
        .setTagSizeBytes(16)
        .setVariant(AesGcmParameters.Variant.NO_PREFIX)
        .build();
    AesGcmKey key = AesGcmKey.builder()
        .setParameters(parameters)
        .setKeyBytes(com.google.crypto.tink.util.SecretBytes.copyFrom(dek, InsecureSecretKeyAccess.get()))
        .build();
    KeysetHandle handle = KeysetHandle.newBuilder()
        .addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary())
        .build();
    return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
  }
}
