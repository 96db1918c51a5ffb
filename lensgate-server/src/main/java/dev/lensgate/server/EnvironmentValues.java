package dev.lensgate.server;

import java.util.Map;

/** Reads settings from environment variables; errors name the variable, never echo its value. */
public final class EnvironmentValues {
  private EnvironmentValues() {}

  /** The variable as a whole number, {@code fallback} when unset or blank. */
  public static long wholeNumber(Map<String, String> env, String name, long fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }
}
