package dev.lensgate.server.store;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.KeyDisplay;
import java.util.Objects;

/**
 * A newly minted key. {@link #plaintext()} is the only copy of the secret anywhere: show it once
 * (CLI, admin API response) and drop it; nothing can produce it again. {@code toString} is
 * redacted because {@link SecretBytes} is.
 */
public record CreatedKey(String id, SecretBytes plaintext, KeyDisplay display, ApiKeyInfo info) {
  public CreatedKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(display, "display");
    Objects.requireNonNull(info, "info");
  }
}
