package dev.lensgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
  @Test
  void toString_neverShowsContent() {
    SecretBytes s = SecretBytes.fromUtf8("hunter2-sentinel");
    assertThat(s.toString()).doesNotContain("hunter2").contains("redacted");
  }

  @Test
  void copyOf_laterChangeToSource_doesNotAffectSecret() {
    byte[] src = {1, 2, 3};
    SecretBytes s = SecretBytes.copyOf(src);
    src[0] = 9;
    assertThat(s.reveal()).containsExactly(1, 2, 3);
  }

  @Test
  void reveal_returnsCopy_mutationDoesNotLeakBack() {
    SecretBytes s = SecretBytes.copyOf(new byte[] {1, 2});
    s.reveal()[0] = 7;
    assertThat(s.reveal()).containsExactly(1, 2);
  }

  @Test
  void equalsConstantTime_sameAndDifferentContent() {
    SecretBytes a = SecretBytes.fromUtf8("abc");
    assertThat(a.equalsConstantTime(SecretBytes.fromUtf8("abc"))).isTrue();
    assertThat(a.equalsConstantTime(SecretBytes.fromUtf8("abd"))).isFalse();
    assertThat(a.equalsConstantTime(SecretBytes.fromUtf8("ab"))).isFalse();
  }

  @Test
  void equals_isIdentity_notContent() {
    assertThat(SecretBytes.fromUtf8("x")).isNotEqualTo(SecretBytes.fromUtf8("x"));
  }

  @Test
  void wipe_thenReveal_throws() {
    SecretBytes s = SecretBytes.fromUtf8("secret");
    s.wipe();
    assertThat(s.isWiped()).isTrue();
    assertThatThrownBy(s::reveal).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(s::revealUtf8).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_wipes() {
    SecretBytes s = SecretBytes.random(16, new SecureRandom());
    try (s) {
      assertThat(s.length()).isEqualTo(16);
    }
    assertThat(s.isWiped()).isTrue();
  }

  @Test
  void random_nonPositiveLength_rejected() {
    assertThatThrownBy(() -> SecretBytes.random(0, new SecureRandom())).isInstanceOf(IllegalArgumentException.class);
  }
}
