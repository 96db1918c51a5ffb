package dev.lensgate.core.keys;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out of {@link KeyRevocation}s on one node: the key service publishes, the authenticator's
 * cache and anything holding connections open on a key (streams, runner sessions) subscribe.
 *
 * <p>Thread-safe. Subscribing is cheap and rare; publishing iterates a copy-on-write list.
 */
public final class KeyRevocations {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRevocations.class);

  private final CopyOnWriteArrayList<KeyRevocationListener> listeners = new CopyOnWriteArrayList<>();

  /** A registration; closing it removes the listener. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Adds {@code listener}; close the returned handle to remove it. */
  public Subscription subscribe(KeyRevocationListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Tells every listener; one listener's failure does not stop the others. */
  public void publish(KeyRevocation revocation) {
    Objects.requireNonNull(revocation, "revocation");
    for (KeyRevocationListener listener : listeners) {
      try {
        listener.onRevoked(revocation);
      } catch (RuntimeException e) {
        LOG.warn("key revocation listener {} failed for key {}: {}", listener.getClass().getName(),
            revocation.keyId(), e.getClass().getName());
      }
    }
  }
}
