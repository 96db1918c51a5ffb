package dev.lensgate.core.keys;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import java.util.Optional;

/**
 * A presented key that passed the offline format and checksum check — nothing more: it may still
 * be unknown, revoked or of another environment. Holds the presented text, so it has no
 * {@code toString} content, and {@code equals} is identity.
 */
public final class ParsedApiKey {
  private final KeyType type;
  private final String slug;
  private final String keyId;
  private final String presented;
  private final int secretStart;

  ParsedApiKey(KeyType type, String slug, String keyId, String presented, int secretStart) {
    this.type = type;
    this.slug = slug;
    this.keyId = keyId;
    this.presented = presented;
    this.secretStart = secretStart;
  }

  public KeyType type() {
    return type;
  }

  /** The environment slug ({@code rk_}: the organization slug) written in the key. */
  public String slug() {
    return slug;
  }

  /** The public key id of an {@code lp_} key; empty for other types. */
  public Optional<String> partnerKeyId() {
    return Optional.ofNullable(keyId);
  }

  /** The full presented key, for hashing. Never log it. */
  public String revealKey() {
    return presented;
  }

  /** The secret part after the {@code .} of an {@code lp_} key (checksum included), for bcrypt. */
  public SecretBytes partnerSecret() {
    if (type != KeyType.LP) {
      throw new IllegalStateException("only lp_ keys have a separate secret");
    }
    return SecretBytes.fromUtf8(presented.substring(secretStart));
  }

  @Override
  public String toString() {
    return "ParsedApiKey[" + type.prefix() + "_" + slug + "_…]";
  }
}
