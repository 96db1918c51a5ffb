package dev.lensgate.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.crypto.SecretBytes;
import org.junit.jupiter.api.Test;

class BcryptPartnerSecretHasherTest {
  private final PartnerSecretHasher fast = PartnerSecretHasher.unsafeLowCostBcryptForTests(4);

  @Test
  void bcrypt_production_usesCost12() {
    String hash = PartnerSecretHasher.bcrypt().hash(SecretBytes.fromUtf8("secret"));
    assertThat(hash).startsWith("$2a$12$").hasSize(60);
  }

  @Test
  void verify_matchingAndNonMatchingSecret() {
    String hash = fast.hash(SecretBytes.fromUtf8("right"));
    assertThat(fast.verify(SecretBytes.fromUtf8("right"), hash)).isTrue();
    assertThat(fast.verify(SecretBytes.fromUtf8("wrong"), hash)).isFalse();
  }

  @Test
  void hash_isSalted() {
    assertThat(fast.hash(SecretBytes.fromUtf8("same"))).isNotEqualTo(fast.hash(SecretBytes.fromUtf8("same")));
  }

  @Test
  void verify_malformedHash_falseNotException() {
    assertThat(fast.verify(SecretBytes.fromUtf8("x"), "not-a-bcrypt-hash")).isFalse();
    assertThat(fast.verify(SecretBytes.fromUtf8("x"), "")).isFalse();
  }

  @Test
  void unsafeLowCost_outOfRange_rejected() {
    assertThatThrownBy(() -> PartnerSecretHasher.unsafeLowCostBcryptForTests(3)).isInstanceOf(IllegalArgumentException.class);
  }
}
