package dev.lensgate.core.keys;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.lensgate.core.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** at.favre bcrypt, version {@code $2a$}. Key secrets are 38 ASCII bytes, well under bcrypt's 72. */
final class BcryptPartnerSecretHasher implements PartnerSecretHasher {
  private final int cost;

  BcryptPartnerSecretHasher(int cost) {
    if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
      throw new IllegalArgumentException("bcrypt cost out of range");
    }
    this.cost = cost;
  }

  @Override
  public String hash(SecretBytes secret) {
    byte[] pw = secret.reveal();
    try {
      return new String(BCrypt.withDefaults().hash(cost, pw), StandardCharsets.US_ASCII);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  @Override
  public boolean verify(SecretBytes secret, String hash) {
    byte[] pw = secret.reveal();
    try {
      return BCrypt.verifyer().verify(pw, hash.getBytes(StandardCharsets.US_ASCII)).verified;
    } catch (RuntimeException e) {
      return false;
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }
}
