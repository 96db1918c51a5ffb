package dev.lensgate.client;

import java.util.Objects;

/** Checks a lens name before any request or subscription uses it. */
final class LensName {
  private LensName() {}

  static void check(String lens) {
    Objects.requireNonNull(lens, "lens");
    if (lens.isBlank() || lens.length() > 256 || lens.equals(".") || lens.equals("..")) {
      throw new IllegalArgumentException("lens name must be 1 to 256 characters and not '.' or '..'");
    }
  }

  /** Validates the lens name and returns it encoded as one path segment. */
  static String pathSegment(String lens) {
    check(lens);
    return PathSegment.encode(lens);
  }
}
