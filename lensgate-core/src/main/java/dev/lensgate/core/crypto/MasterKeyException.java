package dev.lensgate.core.crypto;

/**
 * The master key material is missing, malformed or unsafely stored; the gateway must not start.
 * Messages name files and reasons, never key bytes.
 */
public final class MasterKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MasterKeyException(String message) {
    super(message);
  }

  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
