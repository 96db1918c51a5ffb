package dev.lensgate.client;

/** HTTP 413. The request body exceeded the gateway's limit. */
public final class PayloadTooLargeException extends LensgateApiException {

  PayloadTooLargeException(ApiError error) {
    super(error);
  }
}
