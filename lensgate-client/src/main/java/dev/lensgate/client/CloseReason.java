package dev.lensgate.client;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why a subscription ended or was interrupted: the gateway's code ({@code key_revoked},
 * {@code rule_denied}, …) or one of the client's own codes below, and whether the client retries.
 *
 * <p>Retryable reasons ({@link #CONNECTION_LOST}, {@code slow_consumer}) only interrupt a
 * subscription: the client reconnects with backoff and subscribes again, and the listener hears
 * {@link SubscriptionListener#onReconnecting}. Every other reason is final and reaches {@link
 * SubscriptionListener#onClosed}: a revoked key, an expired user token, a removed grant, an
 * unknown lens, a refused handshake (HTTP 401/403) or an {@code error} frame for the subscription
 * (a bad {@code where}, say) would fail the same way again.
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

  private static final Set<String> RETRYABLE = Set.of(CONNECTION_LOST, SLOW_CONSUMER);

  public CloseReason {
    Objects.requireNonNull(code, "code");
  }

  /** The reason for a code the gateway sent: retryable only for the codes the client retries. */
  static CloseReason fromServer(String code, String message) {
    return new CloseReason(code, message, RETRYABLE.contains(code));
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
