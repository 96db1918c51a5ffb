package dev.lensgate.core.keys;

import dev.lensgate.core.auth.KeyType;
import java.time.Instant;
import java.util.Objects;

/**
 * A key stopped (or will stop) working.
 *
 * @param keyId the key's id (as in {@link dev.lensgate.core.auth.Principal#keyId()})
 * @param type its type ({@code rk_}: close runner sessions; others: close streams)
 * @param effectiveAt when it stops being accepted: now for a revocation or a rotation without
 *     grace, the end of the grace period for a rotation with grace (listeners holding sockets open
 *     on the key should close them at that instant)
 */
public record KeyRevocation(String keyId, KeyType type, Instant effectiveAt) {
  public KeyRevocation {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
  }
}
