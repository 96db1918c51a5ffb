package dev.lensgate.client;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why a subscription ended or was interrupted: the gateway's code ({@code key_revoked},
 * {@code rule_denied}, …) or one of the client's own codes below, and whether the client retries.
 *
 * <p>Final reasons reach {@link SubscriptionListener#onClosed}: a revoked key, an expired user
 * token, a removed grant, an unknown lens, a refused handshake (HTTP 401/403), any authorization
 * or request code, and every {@code error} frame for the subscription (a bad {@code where}, say):
 * trying again would fail the same way. Anything else the gateway closes with ({@code
 * slow_consumer}, {@code shutdown}, {@code overloaded}, a code this client does not know) and
 * every transport drop ({@link #CONNECTION_LOST}) only interrupts the subscription: the client
 * reconnects with backoff and subscribes again, and the listener hears {@link
 * SubscriptionListener#onReconnecting}. A retry that the gateway then refuses arrives as an
 * {@code error} frame and is final, so an unknown code cannot loop.
 *
 * @param code the wire code, never null
 * @param message the gateway's message (scrubbed of the key and token, capped), or null
 * @param retryable true if the client reconnects and resubscribes by itself
 */
public record CloseReason(String code, String message, boolean retryable) {
  /** The application closed the {@link Subscription}. */
  public static final String UNSUBSCRIBED = "unsubscribed";
  /** The application closed the {@link LensgateClient}. */
  public static final String CLIENT_CLOSED = "client_closed";
  /** The socket dropped or could not be opened (network, gateway restart); retried. */
  public static final String CONNECTION_LOST = "connection_lost";
  /**
   * The application's listener fell 10,000 callbacks behind the socket; the subscription ended
   * so the client's memory stays bounded. Final.
   */
  public static final String LISTENER_OVERFLOW = "listener_overflow";
  /** The gateway closed the socket because the client read too slowly; retried. */
  public static final String SLOW_CONSUMER = "slow_consumer";

  /** Codes a retry cannot fix (credentials, grants, the request itself). */
  private static final Set<String> FINAL = Set.of(
      "key_revoked", "token_expired", "grant_removed", "lens_not_found", "unauthenticated",
      "invalid_api_key", "invalid_user_token", "key_type_not_allowed", "operation_not_granted",
      "rule_denied", "claims_mismatch", "scope_missing", "invalid_request", "invalid_json",
      "unknown_op", "unknown_field", "unsupported_operator", "duplicate_subscription",
      "subscription_not_found", "too_many_subscriptions", "frame_too_large", "unsubscribed");

  public CloseReason {
    Objects.requireNonNull(code, "code");
  }

  /** The reason for a code the gateway closed with: retryable unless the code is a final one. */
  static CloseReason fromServer(String code, String message) {
    return new CloseReason(code, message, !FINAL.contains(code));
  }

  static CloseReason connectionLost(String message) {
    return new CloseReason(CONNECTION_LOST, message, true);
  }

  static CloseReason local(String code) {
    return new CloseReason(code, null, false);
  }

  /** The gateway's message, if it sent one. */
  public Optional<String> messageText() {
    return Optional.ofNullable(message);
  }

  /** True when the application itself closed the subscription or the client. */
  public boolean byClient() {
    return code.equals(UNSUBSCRIBED) || code.equals(CLIENT_CLOSED);
  }
}
