package dev.lensgate.core.jwt;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;

/**
 * Verifies an end-user JWT ({@code X-User-Token}). Implementations are thread-safe.
 */
public interface UserTokenVerifier {

  /**
   * @return the verified claims; never null
   * @throws LensgateException with {@link ErrorCode#INVALID_USER_TOKEN} for any token that is not
   *     well-formed, correctly signed by an allowed algorithm and key, current, and for this
   *     issuer and audience. The message never contains the token.
   */
  VerifiedClaims verify(String token);

  /**
   * The verifier for a gateway without {@code auth.jwt}: every presented token is invalid (a token
   * that cannot be checked must not be silently ignored).
   */
  static UserTokenVerifier rejectingAll() {
    return token -> {
      throw new LensgateException(ErrorCode.INVALID_USER_TOKEN,
          "user tokens are not accepted: this gateway has no auth.jwt configured");
    };
  }
}
