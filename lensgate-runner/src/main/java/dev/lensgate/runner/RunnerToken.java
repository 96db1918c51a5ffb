package dev.lensgate.runner;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The runner's {@code rk_} token. Held in its own type so it cannot end up in a log line or an
 * exception message by accident: no {@code toString}, no {@code equals}; {@link #reveal()} is the
 * one explicit access, used to build the upgrade request.
 */
public final class RunnerToken {
  // URL-safe by construction: it travels as a query parameter of the upgrade request.
  private static final Pattern SHAPE = Pattern.compile("rk_[A-Za-z0-9_.-]{8,200}");

  private final String value;

  private RunnerToken(String value) {
    this.value = value;
  }

  /**
   * @throws IllegalArgumentException if {@code text} is not an {@code rk_} token (message never
   *     echoes it)
   */
  public static RunnerToken of(String text) {
    Objects.requireNonNull(text, "token");
    String trimmed = text.strip();
    if (!SHAPE.matcher(trimmed).matches()) {
      throw new IllegalArgumentException("the runner token must be an rk_ token");
    }
    return new RunnerToken(trimmed);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "RunnerToken[redacted]";
  }
}
