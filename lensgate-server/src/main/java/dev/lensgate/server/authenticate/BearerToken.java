package dev.lensgate.server.authenticate;

import dev.lensgate.core.error.LensgateException;

/** Extracts the credential from an {@code Authorization: Bearer <key>} header value. */
final class BearerToken {
  private static final String SCHEME = "Bearer";
  /** Far above any valid key; longer headers are refused before any parsing work. */
  static final int MAX_HEADER_LENGTH = 512;

  private BearerToken() {}

  /**
   * @throws LensgateException {@code MISSING_API_KEY} when absent, blank, another scheme or an
   *     empty token; {@code INVALID_API_KEY} when absurdly long
   */
  static String extract(String headerValue) {
    if (headerValue == null || headerValue.isBlank()) {
      throw KeyAuthenticator.missing();
    }
    if (headerValue.length() > MAX_HEADER_LENGTH) {
      throw KeyAuthenticator.invalid();
    }
    String h = headerValue.strip();
    // The auth scheme is case-insensitive (RFC 9110 §11.1).
    if (h.length() <= SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || h.charAt(SCHEME.length()) != ' ') {
      throw KeyAuthenticator.missing();
    }
    String token = h.substring(SCHEME.length()).strip();
    if (token.isEmpty()) {
      throw KeyAuthenticator.missing();
    }
    return token;
  }
}
