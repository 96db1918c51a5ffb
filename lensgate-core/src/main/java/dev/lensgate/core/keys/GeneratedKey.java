package dev.lensgate.core.keys;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;

/**
 * A freshly minted key: the only object that ever holds its plaintext on the server side. Hand
 * {@link #plaintext()} to the caller once and store only {@link #display()} and a hash.
 */
public final class GeneratedKey {
  private final String id;
  private final KeyType type;
  private final String slug;
  private final SecretBytes plaintext;
  private final KeyDisplay display;

  GeneratedKey(String id, KeyType type, String slug, SecretBytes plaintext, KeyDisplay display) {
    this.id = id;
    this.type = type;
    this.slug = slug;
    this.plaintext = plaintext;
    this.display = display;
  }

  /** The key's stable id: for {@code lp_} the key id written in the key, else a fresh random id. */
  public String id() {
    return id;
  }

  public KeyType type() {
    return type;
  }

  public String slug() {
    return slug;
  }

  /** The full key text. */
  public SecretBytes plaintext() {
    return plaintext;
  }

  public KeyDisplay display() {
    return display;
  }

  /** Parsed view of the plaintext (for hashing it the same way a presented key is hashed). */
  public ParsedApiKey parsed() {
    return ApiKeyFormat.parse(plaintext.revealUtf8())
        .orElseThrow(() -> new IllegalStateException("generated key does not parse"));
  }

  @Override
  public String toString() {
    return "GeneratedKey[" + id + ", " + display.render() + "]";
  }
}
