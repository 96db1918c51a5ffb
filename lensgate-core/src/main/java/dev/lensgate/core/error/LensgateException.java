package dev.lensgate.core.error;

import java.util.Objects;

/**
 * A failure with a public error code. The message is shown to the client, so it must never contain
 * a secret, a row value from the source, or SQL.
 */
public class LensgateException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public LensgateException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public LensgateException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
