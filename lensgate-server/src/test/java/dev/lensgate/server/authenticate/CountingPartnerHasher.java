package dev.lensgate.server.authenticate;

import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.keys.PartnerSecretHasher;
import java.util.concurrent.atomic.AtomicInteger;

/** Real (low-cost) bcrypt that counts how often it is asked to verify. */
final class CountingPartnerHasher implements PartnerSecretHasher {
  private final PartnerSecretHasher delegate = PartnerSecretHasher.unsafeLowCostBcryptForTests(4);
  final AtomicInteger verifications = new AtomicInteger();
  final AtomicInteger hashes = new AtomicInteger();

  @Override
  public String hash(SecretBytes secret) {
    hashes.incrementAndGet();
    return delegate.hash(secret);
  }

  @Override
  public boolean verify(SecretBytes secret, String hash) {
    verifications.incrementAndGet();
    return delegate.verify(secret, hash);
  }
}
