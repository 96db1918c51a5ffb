package dev.lensgate.server.store;

/**
 * The metadata store failed (unreachable, constraint surprise, driver error). The message names
 * the operation only; the cause is kept for operators but never carries a secret, because no
 * secret is ever bound into a statement in clear.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String operation, Throwable cause) {
    super("metadata store failed: " + operation, cause);
  }
}
