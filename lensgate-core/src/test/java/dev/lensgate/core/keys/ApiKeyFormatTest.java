package dev.lensgate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {
  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void generate_thenParse_roundTripsTypeSlugAndId(KeyType type) {
    GeneratedKey key = generator.generate(type, "development");
    String text = key.plaintext().revealUtf8();
    Optional<ParsedApiKey> parsed = ApiKeyFormat.parse(text);
    assertThat(parsed).isPresent();
    assertThat(parsed.get().type()).isEqualTo(type);
    assertThat(parsed.get().slug()).isEqualTo("development");
    assertThat(text).startsWith(type.prefix() + "_development_");
    if (type == KeyType.LP) {
      assertThat(parsed.get().partnerKeyId()).contains(key.id());
      assertThat(text).startsWith("lp_development_" + key.id() + ".");
      assertThat(parsed.get().partnerSecret().revealUtf8()).hasSize(ApiKeyFormat.BODY_CHARS);
    } else {
      assertThat(parsed.get().partnerKeyId()).isEmpty();
      assertThat(text).doesNotContain(key.id());
    }
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void parse_everyOneCharacterSubstitution_rejected(KeyType type) {
    String text = generator.generate(type, "prod-eu1").plaintext().revealUtf8();
    String alphabet = Base62.ALPHABET + "_.-";
    for (int i = 0; i < text.length(); i++) {
      for (int a = 0; a < alphabet.length(); a++) {
        char c = alphabet.charAt(a);
        if (c == text.charAt(i)) {
          continue;
        }
        String edited = text.substring(0, i) + c + text.substring(i + 1);
        assertThat(ApiKeyFormat.looksValid(edited)).as("edit at %d to %s", i, c).isFalse();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void parse_insertionsDeletionsAndAdjacentSwaps_rejected(KeyType type) {
    String text = generator.generate(type, "development").plaintext().revealUtf8();
    for (int i = 0; i < text.length(); i++) {
      assertThat(ApiKeyFormat.looksValid(text.substring(0, i) + text.substring(i + 1))).isFalse();
      assertThat(ApiKeyFormat.looksValid(text.substring(0, i) + "a" + text.substring(i))).isFalse();
      if (i + 1 < text.length() && text.charAt(i) != text.charAt(i + 1)) {
        String swapped = text.substring(0, i) + text.charAt(i + 1) + text.charAt(i) + text.substring(i + 2);
        assertThat(ApiKeyFormat.looksValid(swapped)).as("swap at %d", i).isFalse();
      }
    }
  }

  @Test
  void parse_otherTypePrefixWithValidChecksum_keepsItsOwnType() {
    // A key whose prefix is changed and checksum recomputed parses, but as the other type.
    String text = generator.generate(KeyType.PK, "development").plaintext().revealUtf8();
    String checked = "sk" + text.substring(2, text.length() - ApiKeyFormat.CHECKSUM_CHARS);
    String forged = checked + ApiKeyFormat.checksum(checked);
    assertThat(ApiKeyFormat.parse(forged).orElseThrow().type()).isEqualTo(KeyType.SK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sk_", "sk_development_", "xx_development_0123456789012345678901234567890123456789",
      "SK_development_01234567890123456789012345678901234567", "Bearer sk_development_x",
      "sk_Development_01234567890123456789012345678901234567", "sk_-dev_01234567890123456789012345678901234567",
      "sk_dev_0123456789012345678901234567890123456\u00e9"})
  void looksValid_malformed_false(String candidate) {
    assertThat(ApiKeyFormat.looksValid(candidate)).isFalse();
  }

  @Test
  void looksValid_nullAndOverlong_false() {
    assertThat(ApiKeyFormat.looksValid(null)).isFalse();
    assertThat(ApiKeyFormat.looksValid("sk_" + "a".repeat(10_000))).isFalse();
  }

  @Test
  void generate_slug63Chars_fitsMaxLength() {
    String slug = "a".repeat(63);
    String text = generator.generate(KeyType.LP, slug).plaintext().revealUtf8();
    assertThat(text).hasSize(ApiKeyFormat.MAX_KEY_LENGTH);
    assertThat(ApiKeyFormat.looksValid(text)).isTrue();
  }

  @Test
  void isValidSlug_boundaries() {
    assertThat(ApiKeyFormat.isValidSlug("a")).isTrue();
    assertThat(ApiKeyFormat.isValidSlug("0-a")).isTrue();
    assertThat(ApiKeyFormat.isValidSlug("a".repeat(63))).isTrue();
    assertThat(ApiKeyFormat.isValidSlug("a".repeat(64))).isFalse();
    assertThat(ApiKeyFormat.isValidSlug("-a")).isFalse();
    assertThat(ApiKeyFormat.isValidSlug("a_b")).isFalse();
    assertThat(ApiKeyFormat.isValidSlug("A")).isFalse();
    assertThat(ApiKeyFormat.isValidSlug("")).isFalse();
  }

  @Test
  void display_showsPrefixAndLast4Only() {
    GeneratedKey key = generator.generate(KeyType.SK, "development");
    String text = key.plaintext().revealUtf8();
    assertThat(key.display().prefix()).isEqualTo("sk_development_");
    assertThat(key.display().last4()).isEqualTo(text.substring(text.length() - 4));
    assertThat(key.display().render()).isEqualTo("sk_development_\u2026" + text.substring(text.length() - 4));
    assertThat(key.toString()).doesNotContain(text.substring(15, 40));
  }

  @Test
  void checksum_isCrc32OfEverythingBeforeIt_inSixBase62Digits() {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update("sk_x_abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    long expected = crc.getValue();
    String digits = ApiKeyFormat.checksum("sk_x_abc");
    long decoded = 0;
    for (char c : digits.toCharArray()) {
      decoded = decoded * 62 + Base62.ALPHABET.indexOf(c);
    }
    assertThat(digits).hasSize(6);
    assertThat(decoded).isEqualTo(expected);
  }

  @Test
  void generate_randomPart_usesWholeAlphabet() {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      String t = generator.generate(KeyType.SK, "d").plaintext().revealUtf8();
      all.append(t, 5, 5 + ApiKeyFormat.RANDOM_CHARS);
    }
    for (char c : Base62.ALPHABET.toCharArray()) {
      assertThat(all.indexOf(String.valueOf(c))).as("char %s", c).isGreaterThanOrEqualTo(0);
    }
  }
}
