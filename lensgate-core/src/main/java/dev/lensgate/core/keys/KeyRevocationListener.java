package dev.lensgate.core.keys;

/**
 * Told when a key is revoked or rotated on this node. Called synchronously on the revoking thread,
 * after the change is committed: keep it quick (flag, enqueue, schedule). A listener that throws is
 * logged and ignored; it cannot undo or block the revocation.
 */
@FunctionalInterface
public interface KeyRevocationListener {
  void onRevoked(KeyRevocation revocation);
}
