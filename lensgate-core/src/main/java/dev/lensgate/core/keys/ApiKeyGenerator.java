package dev.lensgate.core.keys;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.Objects;

/** Mints keys in the {@link ApiKeyFormat}. Thread-safe (SecureRandom is). */
public final class ApiKeyGenerator {
  private final SecureRandom random;

  public ApiKeyGenerator(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * A new key of {@code type} for the environment (or, for {@code rk_}, organization) {@code slug}.
   *
   * @throws IllegalArgumentException if the slug is not valid
   */
  public GeneratedKey generate(KeyType type, String slug) {
    Objects.requireNonNull(type, "type");
    if (!ApiKeyFormat.isValidSlug(slug)) {
      throw new IllegalArgumentException("invalid slug");
    }
    String id = newId();
    String prefix = type == KeyType.LP
        ? type.prefix() + "_" + slug + "_" + id + "."
        : type.prefix() + "_" + slug + "_";
    String checked = prefix + Base62.random(random, ApiKeyFormat.RANDOM_CHARS);
    String key = checked + ApiKeyFormat.checksum(checked);
    KeyDisplay display = new KeyDisplay(prefix, key.substring(key.length() - 4));
    return new GeneratedKey(id, type, slug, SecretBytes.fromUtf8(key), display);
  }

  /** A random 16-character base62 id (~95 bits), also usable for other records' ids. */
  public String newId() {
    return Base62.random(random, ApiKeyFormat.KEY_ID_CHARS);
  }
}
