package dev.lensgate.client;

/** HTTP 401. The API key or user token is missing, invalid or revoked. */
public final class AuthenticationException extends LensgateApiException {

  AuthenticationException(ApiError error) {
    super(error);
  }
}
