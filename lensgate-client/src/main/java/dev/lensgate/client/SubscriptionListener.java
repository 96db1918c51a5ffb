package dev.lensgate.client;

import java.util.Optional;

/**
 * Receives what one {@link Subscription} delivers. Used by both {@link LensgateClient#subscribe}
 * and {@link LensgateClient#observe}.
 *
 * <p><b>Threads and order:</b> callbacks run on a thread the client owns, never on the socket's
 * thread, and one at a time per subscription, in the order the gateway sent them; different
 * subscriptions may be called concurrently. A slow callback delays only its own subscription.
 *
 * <p><b>Failures:</b> an exception thrown by a callback is logged (its class, not its message) and
 * swallowed; the socket and the other subscriptions carry on.
 *
 * <p><b>Life:</b> {@link #onClosed} is called exactly once and last. Between {@link
 * #onReconnecting} and {@link #onResumed} the socket was down: changes in that gap are not
 * replayed, so an application that needs every change re-reads what it shows.
 */
public interface SubscriptionListener {

  /** One insert, update or delete of a record the subscription can see. */
  void onEvent(ChangeEvent event);

  /**
   * For {@code observe}: the record's current state, empty when it does not exist or the caller
   * may not see it. Called first, and again after every reconnect.
   */
  default void onRecord(Optional<Row> record) {}

  /** The socket dropped for a retryable reason; the client is reconnecting with backoff. */
  default void onReconnecting(CloseReason reason) {}

  /** The socket is back and the subscription was sent again. */
  default void onResumed() {}

  /** The subscription ended for good; see {@link CloseReason} for why. */
  default void onClosed(CloseReason reason) {}
}
