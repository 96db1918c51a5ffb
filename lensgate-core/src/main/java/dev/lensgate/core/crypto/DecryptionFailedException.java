package dev.lensgate.core.crypto;

/**
 * A ciphertext could not be opened: it was altered, belongs to another owner (associated data
 * mismatch), or was sealed under a master key this gateway does not hold. Deliberately says no
 * more than that.
 */
public final class DecryptionFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DecryptionFailedException(Throwable cause) {
    super("stored secret could not be decrypted", cause);
  }

  DecryptionFailedException() {
    super("stored secret could not be decrypted");
  }
}
