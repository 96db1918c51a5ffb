package dev.lensgate.server.stream;

/**
 * Codes that only stream frames carry (CONTRACT §6); request-shaped failures reuse
 * {@link dev.lensgate.core.error.ErrorCode}'s wire names ({@code invalid_json}, {@code unknown_field},
 * {@code lens_not_found}, ...).
 */
public final class StreamCodes {
  public static final String UNKNOWN_OP = "unknown_op";
  public static final String DUPLICATE_SUBSCRIPTION = "duplicate_subscription";
  public static final String SUBSCRIPTION_NOT_FOUND = "subscription_not_found";
  public static final String TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions";
  public static final String FRAME_TOO_LARGE = "frame_too_large";
  public static final String SLOW_CONSUMER = "slow_consumer";
  public static final String KEY_REVOKED = "key_revoked";
  public static final String TOKEN_EXPIRED = "token_expired";
  public static final String GRANT_REMOVED = "grant_removed";
  public static final String LENS_NOT_FOUND = "lens_not_found";
  public static final String UNSUBSCRIBED = "unsubscribed";
  public static final String SHUTDOWN = "shutdown";

  private StreamCodes() {}
}
