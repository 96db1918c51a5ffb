package dev.lensgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentValuesTest {
  @Test
  void unsetOrBlank_isTheFallback_andSurroundingSpaceIsIgnored() {
    assertThat(EnvironmentValues.wholeNumber(Map.of(), "LENSGATE_X", 7)).isEqualTo(7);
    assertThat(EnvironmentValues.wholeNumber(Map.of("LENSGATE_X", "  "), "LENSGATE_X", 7)).isEqualTo(7);
    assertThat(EnvironmentValues.wholeNumber(Map.of("LENSGATE_X", " 42 "), "LENSGATE_X", 7)).isEqualTo(42);
    assertThat(EnvironmentValues.wholeNumber(Map.of("LENSGATE_X", "-3"), "LENSGATE_X", 7)).isEqualTo(-3);
  }

  @Test
  void notAWholeNumber_namesTheVariable_withoutEchoingTheValue() {
    for (String bad : new String[] {"1.5", "ten", "99999999999999999999", "sk_secret"}) {
      assertThatThrownBy(() -> EnvironmentValues.wholeNumber(Map.of("LENSGATE_X", bad), "LENSGATE_X", 7))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("LENSGATE_X must be a whole number");
    }
  }
}
