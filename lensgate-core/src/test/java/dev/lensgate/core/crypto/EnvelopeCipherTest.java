package dev.lensgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {
  private static final String SECRET = "s3ntinel-Pa55word!";
  private final KeyMaterial material = MasterKeys.ephemeral();
  private final EnvelopeCipher cipher = material.envelope();
  private final CredentialBinding binding = new CredentialBinding("envA", "orders");

  @Test
  void seal_thenOpenWithSameBinding_roundTrips() {
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    assertThat(cipher.open(sealed, binding).revealUtf8()).isEqualTo(SECRET);
  }

  @Test
  void seal_ciphertextDoesNotContainPlaintext() {
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
  }

  @Test
  void seal_samePlaintextTwice_givesDifferentCiphertexts() {
    byte[] a = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    byte[] b = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void open_ciphertextCopiedToOtherEnvironment_fails() {
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    assertThatThrownBy(() -> cipher.open(sealed, new CredentialBinding("envB", "orders")))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void open_ciphertextCopiedToOtherSource_fails() {
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    assertThatThrownBy(() -> cipher.open(sealed, new CredentialBinding("envA", "orders2")))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void open_bindingFieldsShifted_fails() {
    // "ab"+"c" and "a"+"bc" must not share associated data.
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), new CredentialBinding("ab", "c"));
    assertThatThrownBy(() -> cipher.open(sealed, new CredentialBinding("a", "bc")))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void open_everySingleByteFlipped_fails() {
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    for (int i = 0; i < sealed.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] tampered = sealed.clone();
        tampered[i] ^= (byte) (1 << bit);
        int at = i;
        assertThatThrownBy(() -> cipher.open(tampered, binding))
            .as("flip of bit %d in byte %d", bit, at)
            .isInstanceOf(DecryptionFailedException.class);
      }
    }
  }

  @Test
  void open_everyTruncationAndExtension_fails() {
    byte[] sealed = cipher.seal(SecretBytes.fromUtf8(SECRET), binding);
    for (int len = 0; len < sealed.length; len++) {
      byte[] truncated = Arrays.copyOf(sealed, len);
      assertThatThrownBy(() -> cipher.open(truncated, binding)).isInstanceOf(DecryptionFailedException.class);
    }
    byte[] extended = Arrays.copyOf(sealed, sealed.length + 1);
    assertThatThrownBy(() -> cipher.open(extended, binding)).isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void open_sealedUnderAnotherMasterKey_fails() {
    byte[] sealed = MasterKeys.ephemeral().envelope().seal(SecretBytes.fromUtf8(SECRET), binding);
    assertThatThrownBy(() -> cipher.open(sealed, binding)).isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void open_emptyPlaintext_roundTrips() {
    byte[] sealed = cipher.seal(SecretBytes.copyOf(new byte[0]), binding);
    assertThat(cipher.open(sealed, binding).length()).isZero();
  }
}
