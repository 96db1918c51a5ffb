package dev.lensgate.core.config;

import java.util.Objects;

/**
 * One error or warning about a config file, pointing at the exact place.
 *
 * @param line 1-based
 * @param column 1-based
 * @param path the field path, e.g. {@code lenses.products.fields.price.type}; empty for the
 *     document itself
 */
public record Problem(String file, int line, int column, String path, String message) {
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:col: path: message} (the path part is left out when empty). */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
