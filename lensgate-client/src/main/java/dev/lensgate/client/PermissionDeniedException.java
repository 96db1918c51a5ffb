package dev.lensgate.client;

/**
 * HTTP 403. The key or user may not do this ({@code operation_not_granted}, {@code rule_denied},
 * {@code scope_missing}, ...).
 */
public final class PermissionDeniedException extends LensgateApiException {

  PermissionDeniedException(ApiError error) {
    super(error);
  }
}
