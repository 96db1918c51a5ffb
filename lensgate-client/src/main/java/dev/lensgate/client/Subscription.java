package dev.lensgate.client;

import java.util.Optional;

/**
 * A live {@code subscribe} or {@code observe} on the client's shared stream socket. {@link
 * #close()} sends {@code unsubscribe} and ends the subscription with {@link
 * CloseReason#UNSUBSCRIBED}; when it was the socket's last subscription the socket closes too.
 *
 * <p>Thread-safe; {@code close()} is idempotent and never blocks on the network.
 */
public interface Subscription extends AutoCloseable {

  /** The subscription's id on the socket (the frames' {@code id}). */
  String id();

  String lens();

  /** True until the subscription ended (closed, or a final {@link CloseReason}). */
  boolean isOpen();

  /** Why the subscription ended; empty while it is open. */
  Optional<CloseReason> closeReason();

  @Override
  void close();
}
