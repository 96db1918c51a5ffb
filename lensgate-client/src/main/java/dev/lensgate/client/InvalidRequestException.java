package dev.lensgate.client;

/**
 * HTTP 400. The request was rejected as malformed or invalid ({@code invalid_json}, {@code
 * unknown_field}, {@code invalid_cursor}, ...).
 */
public final class InvalidRequestException extends LensgateApiException {

  InvalidRequestException(ApiError error) {
    super(error);
  }
}
