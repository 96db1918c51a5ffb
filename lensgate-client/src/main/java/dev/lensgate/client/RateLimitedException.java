package dev.lensgate.client;

import java.time.Duration;
import java.util.Optional;

/** HTTP 429 {@code rate_limited}: slow down, and wait at least {@link #retryAfter()} if present. */
public final class RateLimitedException extends LensgateApiException {

  private final Duration retryAfter;

  RateLimitedException(ApiError error, Duration retryAfter) {
    super(error);
    this.retryAfter = retryAfter;
  }

  /**
   * How long to wait, from the {@code Retry-After} header (seconds or an HTTP date); empty when the
   * header is absent or unreadable. Never negative.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
