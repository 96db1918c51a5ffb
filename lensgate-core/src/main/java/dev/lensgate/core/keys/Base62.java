package dev.lensgate.core.keys;

import java.security.SecureRandom;

/** Base62 ({@code 0-9A-Za-z}) helpers for key bodies and checksums. */
final class Base62 {
  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  /** Largest multiple of 62 that fits a byte; bytes at or above it are redrawn to avoid modulo bias. */
  private static final int UNBIASED_LIMIT = 248;

  private Base62() {}

  static boolean isBase62(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean isBase62(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isBase62(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code length} uniformly random base62 characters. */
  static String random(SecureRandom random, int length) {
    StringBuilder sb = new StringBuilder(length);
    byte[] buf = new byte[length + 8];
    while (sb.length() < length) {
      random.nextBytes(buf);
      for (int i = 0; i < buf.length && sb.length() < length; i++) {
        int v = buf[i] & 0xFF;
        if (v < UNBIASED_LIMIT) {
          sb.append(ALPHABET.charAt(v % 62));
        }
      }
    }
    return sb.toString();
  }

  /** {@code value} (non-negative) in exactly {@code width} base62 digits, most significant first. */
  static String fixedWidth(long value, int width) {
    char[] out = new char[width];
    long v = value;
    for (int i = width - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (v % 62));
      v /= 62;
    }
    if (v != 0) {
      throw new IllegalArgumentException("value does not fit");
    }
    return new String(out);
  }
}
