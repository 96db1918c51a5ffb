package dev.lensgate.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret material (a key, a password, an API key's plaintext) in its own type.
 *
 * <p>Design: the bytes never leak by accident. {@link #toString()} is redacted, {@code equals} and
 * {@code hashCode} are identity (comparing secrets must go through {@link #equalsConstantTime}),
 * and every read is an explicit {@code reveal…} call that is easy to grep for. {@link #wipe()}
 * zeroes the copy held here; a wiped instance refuses to reveal anything.
 *
 * <p>Thread safety: safe to share for reading; {@link #wipe()} concurrently with a read is a
 * caller bug (the read may see zeros).
 */
public final class SecretBytes implements AutoCloseable {
  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretBytes(byte[] ownedBytes) {
    this.bytes = ownedBytes;
  }

  /** Copies {@code bytes}; the caller may wipe its own array afterwards. */
  public static SecretBytes copyOf(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new SecretBytes(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying (the caller must not keep a reference). */
  static SecretBytes adopt(byte[] bytes) {
    return new SecretBytes(Objects.requireNonNull(bytes, "bytes"));
  }

  /** The UTF-8 encoding of {@code text}. */
  public static SecretBytes fromUtf8(CharSequence text) {
    Objects.requireNonNull(text, "text");
    return new SecretBytes(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code length} bytes from {@code random}. */
  public static SecretBytes random(int length, SecureRandom random) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive");
    }
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new SecretBytes(b);
  }

  public int length() {
    return bytes.length;
  }

  /** A copy of the secret; wipe it when done. */
  public byte[] reveal() {
    checkNotWiped();
    return bytes.clone();
  }

  /** The secret decoded as UTF-8 (for showing a freshly minted key once, or for drivers that need a String). */
  public String revealUtf8() {
    checkNotWiped();
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Constant-time comparison (time depends only on the lengths). */
  public boolean equalsConstantTime(SecretBytes other) {
    Objects.requireNonNull(other, "other");
    checkNotWiped();
    other.checkNotWiped();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Constant-time comparison of two byte arrays (time depends only on the lengths). */
  public static boolean equalsConstantTime(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** Zeroes the bytes held here. Idempotent. */
  public void wipe() {
    wiped = true;
    Arrays.fill(bytes, (byte) 0);
  }

  public boolean isWiped() {
    return wiped;
  }

  /** Same as {@link #wipe()}, for try-with-resources. */
  @Override
  public void close() {
    wipe();
  }

  @Override
  public String toString() {
    return "SecretBytes[redacted]";
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("secret was wiped");
    }
  }
}
