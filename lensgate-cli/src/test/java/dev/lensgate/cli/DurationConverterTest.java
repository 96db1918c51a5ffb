package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
  @Test
  void parse_units_andSequences() {
    assertThat(DurationConverter.parse("0")).isZero();
    assertThat(DurationConverter.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(DurationConverter.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationConverter.parse("1d2h3m4s")).isEqualTo(Duration.parse("P1DT2H3M4S"));
  }

  @Test
  void parse_malformed_isATypeConversionError() {
    for (String bad : new String[] {"", "h", "1", "-1h", "1.5h", "1w", "1 h", "1h-", "9999999999d"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
          .isInstanceOf(CommandLine.TypeConversionException.class);
    }
  }

  @Test
  void format_roundTripsThroughParse() {
    for (String s : new String[] {"0", "45s", "30m", "1h", "7d", "1h30m", "1d2h3m4s"}) {
      assertThat(DurationConverter.format(DurationConverter.parse(s))).isEqualTo(s);
    }
  }
}
