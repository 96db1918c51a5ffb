package dev.lensgate.core.keys;

import java.util.Objects;

/**
 * What may be shown about a key after creation: a non-secret prefix and the last 4 characters.
 *
 * @param prefix e.g. {@code sk_development_} or {@code lp_development_<keyid>.}
 * @param last4 the key's final 4 characters
 */
public record KeyDisplay(String prefix, String last4) {
  public KeyDisplay {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(last4, "last4");
    if (last4.length() != 4) {
      throw new IllegalArgumentException("last4 must have 4 characters");
    }
  }

  /** {@code prefix…last4}, as the CLI lists it. */
  public String render() {
    return prefix + "\u2026" + last4;
  }

  @Override
  public String toString() {
    return render();
  }
}
