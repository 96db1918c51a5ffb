package dev.lensgate.core.error;

/**
 * The stable error codes of the public contract (CONTRACT §4), each with its HTTP status.
 *
 * <p>Every failure that reaches a client is one of these; the mapping from internal exceptions to
 * codes happens in one place (the HTTP layer's exception mapper), never ad hoc in handlers.
 */
public enum ErrorCode {
  INVALID_JSON(400, "invalid_json"),
  INVALID_REQUEST(400, "invalid_request"),
  UNKNOWN_FIELD(400, "unknown_field"),
  UNSUPPORTED_OPERATOR(400, "unsupported_operator"),
  INVALID_CURSOR(400, "invalid_cursor"),
  TOO_MANY_CHANGES(400, "too_many_changes"),
  MISSING_API_KEY(401, "missing_api_key"),
  INVALID_API_KEY(401, "invalid_api_key"),
  KEY_REVOKED(401, "key_revoked"),
  MISSING_USER_TOKEN(401, "missing_user_token"),
  INVALID_USER_TOKEN(401, "invalid_user_token"),
  KEY_TYPE_NOT_ALLOWED(403, "key_type_not_allowed"),
  OPERATION_NOT_GRANTED(403, "operation_not_granted"),
  CLAIMS_MISMATCH(403, "claims_mismatch"),
  RULE_DENIED(403, "rule_denied"),
  SCOPE_MISSING(403, "scope_missing"),
  LENS_NOT_FOUND(404, "lens_not_found"),
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  RATE_LIMITED(429, "rate_limited"),
  INTERNAL(500, "internal_error"),
  RUNNER_FAILED(502, "runner_failed"),
  SOURCE_UNREACHABLE(502, "source_unreachable"),
  EMBEDDING_FAILED(502, "embedding_failed"),
  NO_RUNNERS_ONLINE(503, "no_runners_online"),
  UPSTREAM_TIMEOUT(504, "upstream_timeout");

  private final int httpStatus;
  private final String code;

  ErrorCode(int httpStatus, String code) {
    this.httpStatus = httpStatus;
    this.code = code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The wire form, e.g. {@code unknown_field}. */
  public String code() {
    return code;
  }
}
