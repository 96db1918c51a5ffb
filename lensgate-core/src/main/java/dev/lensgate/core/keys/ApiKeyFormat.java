package dev.lensgate.core.keys;

import dev.lensgate.core.auth.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The textual format of API keys (CONTRACT §3), checkable offline.
 *
 * <pre>
 *   sk_&lt;env&gt;_&lt;body&gt;   pk_&lt;env&gt;_&lt;body&gt;   ik_&lt;env&gt;_&lt;body&gt;   rk_&lt;org&gt;_&lt;body&gt;
 *   lp_&lt;env&gt;_&lt;keyid&gt;.&lt;body&gt;
 *   body  = 32 random base62 characters (190 bits from a CSPRNG) + 6 checksum characters
 *   keyid = 16 random base62 characters (public: it names the key, it is not a secret)
 *   slug  = [a-z0-9][a-z0-9-]{0,62}
 * </pre>
 *
 * <p><b>What is checksummed:</b> the checksum is CRC-32 (IEEE, {@link java.util.zip.CRC32}) of the
 * US-ASCII bytes of everything before it — the whole {@code <type>_<slug>_<random>} text, or
 * {@code lp_<env>_<keyid>.<random>} — written as exactly 6 base62 digits, most significant first,
 * left-padded with {@code 0} (2^32 &lt; 62^6). So any one-character edit anywhere in the key,
 * including its type or slug, is rejected without a database.
 *
 * <p>The display form keeps the last 4 characters, which are checksum characters: they reveal at
 * most ~24 bits about the random part, leaving over 160 bits unknown; that is why the random part
 * is 32 characters rather than the 27 that 160 bits alone would need.
 */
public final class ApiKeyFormat {
  public static final int RANDOM_CHARS = 32;
  public static final int CHECKSUM_CHARS = 6;
  public static final int BODY_CHARS = RANDOM_CHARS + CHECKSUM_CHARS;
  public static final int KEY_ID_CHARS = 16;
  /** No valid key is longer; longer input is rejected before any work. */
  public static final int MAX_KEY_LENGTH = 3 + 63 + 1 + KEY_ID_CHARS + 1 + BODY_CHARS;

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private ApiKeyFormat() {}

  /** True when {@code slug} is a valid environment or organization slug. */
  public static boolean isValidSlug(String slug) {
    return slug != null && SLUG.matcher(slug).matches();
  }

  /** Offline check: well-formed and checksum correct. Says nothing about whether the key exists. */
  public static boolean looksValid(CharSequence candidate) {
    return parse(candidate).isPresent();
  }

  /** Parses and checksums {@code candidate}; empty for anything that is not a well-formed key. */
  public static Optional<ParsedApiKey> parse(CharSequence candidate) {
    if (candidate == null || candidate.length() < 3 + 1 + 1 + BODY_CHARS || candidate.length() > MAX_KEY_LENGTH) {
      return Optional.empty();
    }
    String s = candidate.toString();
    if (s.charAt(2) != '_') {
      return Optional.empty();
    }
    Optional<KeyType> type = KeyType.fromPrefix(s.substring(0, 2));
    if (type.isEmpty()) {
      return Optional.empty();
    }
    int slugEnd = s.indexOf('_', 3);
    if (slugEnd < 0) {
      return Optional.empty();
    }
    String slug = s.substring(3, slugEnd);
    if (!isValidSlug(slug)) {
      return Optional.empty();
    }
    int bodyStart = slugEnd + 1;
    String keyId = null;
    if (type.get() == KeyType.LP) {
      int dot = bodyStart + KEY_ID_CHARS;
      if (s.length() != dot + 1 + BODY_CHARS || s.charAt(dot) != '.' || !Base62.isBase62(s, bodyStart, dot)) {
        return Optional.empty();
      }
      keyId = s.substring(bodyStart, dot);
      bodyStart = dot + 1;
    } else if (s.length() != bodyStart + BODY_CHARS) {
      return Optional.empty();
    }
    if (!Base62.isBase62(s, bodyStart, s.length())) {
      return Optional.empty();
    }
    int checksumStart = s.length() - CHECKSUM_CHARS;
    if (!checksum(s.substring(0, checksumStart)).equals(s.substring(checksumStart))) {
      return Optional.empty();
    }
    return Optional.of(new ParsedApiKey(type.get(), slug, keyId, s, bodyStart));
  }

  /** The 6-character checksum of {@code checked} (see the class comment). */
  static String checksum(String checked) {
    CRC32 crc = new CRC32();
    crc.update(checked.getBytes(StandardCharsets.US_ASCII));
    return Base62.fixedWidth(crc.getValue(), CHECKSUM_CHARS);
  }
}
