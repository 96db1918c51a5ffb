package dev.lensgate.core.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.jwt.VerifiedClaims;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of authorizing one request. Denials are not decisions: they are thrown as
 * {@link dev.lensgate.core.error.LensgateException} with their public code, so a caller cannot
 * forget to check one.
 */
public sealed interface Decision permits Decision.Allowed {

  /**
   * Go ahead.
   *
   * @param rowFilter a {@code where} object from the grant's rule that must be ANDed into every read
   *     (and every stream event) of this request; the client cannot remove it
   * @param user the verified user token, when one was presented
   */
  record Allowed(Optional<JsonNode> rowFilter, Optional<VerifiedClaims> user) implements Decision {
    public Allowed {
      Objects.requireNonNull(rowFilter, "rowFilter");
      Objects.requireNonNull(user, "user");
    }
  }
}
