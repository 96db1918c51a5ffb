package dev.lensgate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ApiKeyFormatProperties {
  private final ApiKeyGenerator generator = new ApiKeyGenerator(new SecureRandom());

  @Provide
  Arbitrary<String> slugs() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('0', '9');
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-')
        .ofMinLength(0).ofMaxLength(62);
    return net.jqwik.api.Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  @Property(tries = 300)
  void anyValidSlugAndType_roundTrips(@ForAll("slugs") String slug, @ForAll KeyType type) {
    String text = generator.generate(type, slug).plaintext().revealUtf8();
    ParsedApiKey parsed = ApiKeyFormat.parse(text).orElseThrow();
    assertThat(parsed.type()).isEqualTo(type);
    assertThat(parsed.slug()).isEqualTo(slug);
  }

  @Property(tries = 1000)
  void arbitraryText_neverThrows(@ForAll String text) {
    ApiKeyFormat.looksValid(text);
  }
}
