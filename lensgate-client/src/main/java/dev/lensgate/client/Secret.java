package dev.lensgate.client;

import java.util.Objects;

/**
 * A bearer credential (API key or user JWT). Its text leaves this object only through {@link
 * #reveal()}, called where the header is written; {@link #toString()} is redacted and there is no
 * equals, so it cannot leak through logging, string concatenation or a debugger's value view.
 */
final class Secret {
  static final String REDACTED = "[redacted]";
  private static final int MAX_LENGTH = 16_384;

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Accepts visible ASCII only (what a header value may carry unquoted). The message names {@code
   * what} and never the value, so a key pasted in the wrong place does not end up in a log.
   */
  static Secret of(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " must be 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(
            what + " contains a space, control or non-ASCII character at index " + i);
      }
    }
    return new Secret(value);
  }

  String reveal() {
    return value;
  }

  /** Replaces every occurrence of this secret in {@code text}. */
  String scrub(String text) {
    return text == null ? null : text.replace(value, REDACTED);
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
