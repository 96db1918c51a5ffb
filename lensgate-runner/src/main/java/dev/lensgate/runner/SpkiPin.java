package dev.lensgate.runner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;

/**
 * A pin on the gateway's public key: SHA-256 of the leaf certificate's DER SubjectPublicKeyInfo,
 * written {@code sha256/<base64>} (the HPKP form). Pinning the key rather than the certificate
 * survives certificate renewal with the same key. A pin is not a secret; {@link #toString()} is
 * its text form, which {@code lensgate runner doctor} prints.
 */
public final class SpkiPin {
  private static final String PREFIX = "sha256/";
  private static final int SHA256_BYTES = 32;

  private final byte[] hash;

  private SpkiPin(byte[] hash) {
    this.hash = hash;
  }

  /**
   * Parses {@code sha256/<base64 of 32 bytes>}.
   *
   * @throws IllegalArgumentException for any other text (the message never echoes the input)
   */
  public static SpkiPin parse(String text) {
    Objects.requireNonNull(text, "pin");
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a pin must look like sha256/<base64 SPKI hash>");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(text.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a pin's hash must be standard base64");
    }
    if (decoded.length != SHA256_BYTES) {
      throw new IllegalArgumentException("a pin's hash must be 32 bytes (SHA-256)");
    }
    return new SpkiPin(decoded);
  }

  /** The pin of {@code cert}'s public key. */
  public static SpkiPin of(X509Certificate cert) {
    return new SpkiPin(spkiHash(cert));
  }

  /** Constant-time comparison of {@code cert}'s key hash against this pin. */
  public boolean matches(X509Certificate cert) {
    return MessageDigest.isEqual(hash, spkiHash(cert));
  }

  private static byte[] spkiHash(X509Certificate cert) {
    try {
      // getEncoded() of an X.509 public key is the DER SubjectPublicKeyInfo.
      return MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpkiPin && MessageDigest.isEqual(hash, ((SpkiPin) o).hash);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return PREFIX + Base64.getEncoder().encodeToString(hash);
  }
}
