package dev.lensgate.core.config;

import java.util.Optional;

/** Where a source's database credentials live (CONTRACT §7). */
public enum CredentialsMode {
  /** Stored by {@code lensgate sources connect}, envelope-encrypted; sent to runners per job. */
  MANAGED("managed"),
  /** Read by the runner from its own environment; the gateway never sees them. */
  RUNNER_LOCAL("runner-local");

  private final String wireName;

  CredentialsMode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() { return wireName; }

  public static Optional<CredentialsMode> fromWire(String s) {
    for (CredentialsMode m : values()) {
      if (m.wireName.equals(s)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
