package dev.lensgate.core.runner;

import dev.lensgate.core.crypto.SecretBytes;
import java.util.Objects;

/**
 * Managed source credentials shipped inside a {@link RunnerFrame.Job}: decrypted by the gateway in
 * memory, held by the runner only in memory. {@link #toString()} shows nothing (a JDBC URL may carry
 * a password as a parameter), and {@code equals} is identity through {@link SecretBytes}.
 */
public record JobCredentials(String url, String user, SecretBytes password) {
  public JobCredentials {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "JobCredentials[redacted]";
  }
}
