package dev.lensgate.server.authenticate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {
  @ParameterizedTest
  @ValueSource(strings = {"Bearer abc", "bearer abc", "BEARER abc", "  Bearer   abc  "})
  void extract_bearerAnyCase_returnsToken(String header) {
    assertThat(BearerToken.extract(header)).isEqualTo("abc");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "Bearer", "Bearer ", "Bearer    ", "Basic YWJjOmRlZg==", "Bearerabc", "Token abc", "abc"})
  void extract_absentOrNotBearer_missingApiKey(String header) {
    assertThatThrownBy(() -> BearerToken.extract(header))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_API_KEY));
  }

  @ParameterizedTest
  @ValueSource(ints = {BearerToken.MAX_HEADER_LENGTH + 1, 100_000})
  void extract_overlong_invalidApiKey(int length) {
    String header = "Bearer " + "a".repeat(length);
    assertThatThrownBy(() -> BearerToken.extract(header))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));
  }
}
