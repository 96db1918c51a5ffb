package dev.lensgate.core.keys;

import dev.lensgate.core.crypto.SecretBytes;

/**
 * Slow hashing of {@code lp_} key secrets (bcrypt). An interface so tests can count calls and use a
 * lower cost; production uses {@link #bcrypt()}.
 */
public interface PartnerSecretHasher {
  /** The production cost factor (CONTRACT §3). */
  int PRODUCTION_COST = 12;

  /** A salted hash of {@code secret}, in modular crypt form ({@code $2a$12$…}). */
  String hash(SecretBytes secret);

  /**
   * True when {@code secret} matches {@code hash}. Costs one full bcrypt whether or not it matches;
   * a malformed {@code hash} yields false after the same work.
   */
  boolean verify(SecretBytes secret, String hash);

  /** bcrypt with cost {@value #PRODUCTION_COST}. */
  static PartnerSecretHasher bcrypt() {
    return new BcryptPartnerSecretHasher(PRODUCTION_COST);
  }

  /** bcrypt with a lower cost: only for tests, where cost 12 would make suites slow. */
  static PartnerSecretHasher unsafeLowCostBcryptForTests(int cost) {
    return new BcryptPartnerSecretHasher(cost);
  }
}
