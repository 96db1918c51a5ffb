package dev.lensgate.server.store;

import dev.lensgate.core.crypto.SecretBytes;
import java.util.Objects;

/** A new runner and its {@code rk_} token, which exists in plaintext only here (show it once). */
public record CreatedRunner(RunnerInfo info, SecretBytes token) {
  public CreatedRunner {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(token, "token");
  }

  @Override
  public String toString() {
    return "CreatedRunner[id=" + info.id() + ", name=" + info.name() + ", token=redacted]";
  }
}
