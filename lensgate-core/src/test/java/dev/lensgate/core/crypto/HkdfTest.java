package dev.lensgate.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void deriveSha256_rfc5869TestCase1_matchesExpectedOkm() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
    byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
    byte[] okm = Hkdf.deriveSha256(ikm, salt, info, 42);
    assertThat(HEX.formatHex(okm)).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void deriveSha256_rfc5869TestCase3EmptySaltAndInfo_matchesExpectedOkm() {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] okm = Hkdf.deriveSha256(ikm, new byte[0], new byte[0], 42);
    assertThat(HEX.formatHex(okm)).isEqualTo(
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }

  @Test
  void deriveSha256_differentInfo_givesDifferentOutput() {
    byte[] ikm = new byte[32];
    assertThat(Hkdf.deriveSha256(ikm, new byte[1], "a", 32))
        .isNotEqualTo(Hkdf.deriveSha256(ikm, new byte[1], "b", 32));
  }

  @Test
  void deriveSha256_zeroLength_rejected() {
    assertThatThrownBy(() -> Hkdf.deriveSha256(new byte[32], new byte[0], "x", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
