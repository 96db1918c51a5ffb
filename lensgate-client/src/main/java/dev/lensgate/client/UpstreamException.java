package dev.lensgate.client;

/**
 * HTTP 502, 503 or 504. The gateway could not reach or use what stands behind it ({@code
 * runner_failed}, {@code source_unreachable}, {@code no_runners_online}, {@code upstream_timeout},
 * ...). Often worth a retry.
 */
public final class UpstreamException extends LensgateApiException {

  UpstreamException(ApiError error) {
    super(error);
  }
}
