package dev.lensgate.client;

import java.util.Optional;

/**
 * The gateway answered with an error status. The subclass tells the kind (by HTTP status); {@link
 * #code()} tells the exact reason as the wire code of the contract, e.g. {@code rule_denied}.
 *
 * <p>Statuses without a dedicated subclass (3xx, 405, 415, 500, ...) arrive as this class itself.
 * When the body is not the contract's error envelope (a proxy's HTML page, say), the code is
 * {@code http_<status>} and the body is not copied into the message.
 */
public sealed class LensgateApiException extends LensgateClientException
    permits InvalidRequestException, AuthenticationException, PermissionDeniedException,
        NotFoundException, PayloadTooLargeException, RateLimitedException, UpstreamException {

  private final int status;
  private final String code;
  private final String errorMessage;
  private final String requestId;

  LensgateApiException(ApiError error) {
    super(error.describe(), null);
    this.status = error.status();
    this.code = error.code();
    this.errorMessage = error.message();
    this.requestId = error.requestId();
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** The contract's error code ({@code unknown_field}, {@code rule_denied}, ...), never null. */
  public String code() {
    return code;
  }

  /** The server's human-readable message (scrubbed of secrets), without status or code. */
  public String errorMessage() {
    return errorMessage;
  }

  /** The request id from the error body, else from the {@code X-Request-Id} header. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
