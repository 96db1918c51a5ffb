package dev.lensgate.server.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of a config push.
 *
 * @param changed false when the pushed text is byte-identical to the active config (nothing done
 *     to the config)
 * @param hash SHA-256 (hex) of the pushed text's UTF-8 bytes
 * @param previousYaml the config that was active before, for printing a diff; empty on first push
 * @param wipedCredentials sources declared {@code credentials: runner-local} whose stored managed
 *     credentials this push deleted, by name
 */
public record PushResult(boolean changed, String hash, Optional<String> previousYaml, List<String> wipedCredentials) {
  public PushResult {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(previousYaml, "previousYaml");
    wipedCredentials = List.copyOf(wipedCredentials);
  }

  /** A push that wiped no credentials. */
  public PushResult(boolean changed, String hash, Optional<String> previousYaml) {
    this(changed, hash, previousYaml, List.of());
  }
}
