package dev.lensgate.server.store;

import dev.lensgate.core.crypto.SecretBytes;
import java.util.Objects;

/**
 * Decrypted credentials of a managed source, for connecting (direct mode) or for a runner job.
 * Keep it in memory only; {@code toString} shows no password.
 */
public record SourceCredentials(String envId, String name, String jdbcUrl, String user, SecretBytes password) {
  public SourceCredentials {
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "SourceCredentials[" + envId + "/" + name + ", user=" + user + ", password=redacted]";
  }
}
