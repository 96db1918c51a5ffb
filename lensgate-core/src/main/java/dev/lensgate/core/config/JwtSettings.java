package dev.lensgate.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code auth.jwt}: where end-user token signing keys come from and what the tokens must say.
 * Exactly one of {@code jwksUrl} and {@code jwksFile} is present; {@code issuer} and
 * {@code audience} are required (CONTRACT §5); {@code algorithms} is a non-empty subset of
 * RS256, PS256, ES256, EdDSA.
 *
 * @param jwksFile resolved against the config file's directory when it was relative
 */
public record JwtSettings(
    Optional<URI> jwksUrl, Optional<Path> jwksFile, String issuer, String audience, List<String> algorithms) {
  /** Every algorithm Lensgate will ever accept; never {@code none}, never HMAC. */
  public static final List<String> SUPPORTED_ALGORITHMS = List.of("RS256", "PS256", "ES256", "EdDSA");

  public JwtSettings {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    Objects.requireNonNull(jwksFile, "jwksFile");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    algorithms = List.copyOf(algorithms);
    if (jwksUrl.isPresent() == jwksFile.isPresent()) {
      throw new IllegalArgumentException("exactly one of jwksUrl and jwksFile is required");
    }
    if (issuer.isBlank() || audience.isBlank()) {
      throw new IllegalArgumentException("issuer and audience are required");
    }
    if (algorithms.isEmpty() || !SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
      throw new IllegalArgumentException("algorithms must be a non-empty subset of " + SUPPORTED_ALGORITHMS);
    }
  }
}
