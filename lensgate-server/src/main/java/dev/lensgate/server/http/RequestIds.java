package dev.lensgate.server.http;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Request ids: a caller-supplied {@code X-Request-Id} is kept when it is short and plain (so
 * callers can correlate), otherwise a fresh random id is minted. Never echoes arbitrary input.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{8,64}");
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  private final SecureRandom random = new SecureRandom();

  String acceptOrMint(String supplied) {
    if (supplied != null && SAFE.matcher(supplied).matches()) {
      return supplied;
    }
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return "req_" + new String(id);
  }
}
