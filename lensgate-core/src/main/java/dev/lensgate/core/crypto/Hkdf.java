package dev.lensgate.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA-256 (RFC 5869), used to split one master secret into independent purpose keys. */
final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LEN = 32;

  private Hkdf() {}

  static byte[] deriveSha256(byte[] ikm, byte[] salt, String info, int length) {
    return deriveSha256(ikm, salt, info.getBytes(StandardCharsets.UTF_8), length);
  }

  static byte[] deriveSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length <= 0 || length > 255 * HASH_LEN) {
      throw new IllegalArgumentException("bad HKDF output length");
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      byte[] extractKey = salt.length == 0 ? new byte[HASH_LEN] : salt;
      mac.init(new SecretKeySpec(extractKey, HMAC));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, HMAC));
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      int written = 0;
      for (int counter = 1; written < length; counter++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        block = mac.doFinal();
        int n = Math.min(block.length, length - written);
        System.arraycopy(block, 0, out, written, n);
        written += n;
      }
      java.util.Arrays.fill(prk, (byte) 0);
      java.util.Arrays.fill(block, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
