package dev.lensgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransformTest {

  @Test
  void trimLowercaseUppercase_onStrings_andLeaveOtherTypesAlone() {
    assertThat(new Transform.Trim().apply("  a b \t")).isEqualTo("a b");
    assertThat(new Transform.Lowercase().apply("ÄBC-I")).isEqualTo("äbc-i");
    assertThat(new Transform.Uppercase().apply("title")).isEqualTo("TITLE");
    assertThat(new Transform.Trim().apply(42L)).isEqualTo(42L);
    assertThat(new Transform.Uppercase().apply(null)).isNull();
  }

  @Test
  void truncate_cutsAtCodePointsNeverSplittingSurrogates() {
    Transform.Truncate t = new Transform.Truncate(3);
    assertThat(t.apply("abcdef")).isEqualTo("abc");
    assertThat(t.apply("ab")).isEqualTo("ab");
    assertThat(t.apply("a😀b😀c")).isEqualTo("a😀b");
    assertThat(new Transform.Truncate(1).apply("😀😀")).isEqualTo("😀");
    assertThat(t.apply(12345L)).isEqualTo(12345L);
    assertThatThrownBy(() -> new Transform.Truncate(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replace_isLiteralNotRegex() {
    assertThat(new Transform.Replace(".", "!").apply("a.b.c")).isEqualTo("a!b!c");
    assertThat(new Transform.Replace("$1", "x").apply("cost $1")).isEqualTo("cost x");
    assertThatThrownBy(() -> new Transform.Replace("", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_rendersNumbersPlainAndDatesIso() {
    Transform t = new Transform.ToText();
    assertThat(t.apply(2.50)).isEqualTo("2.5");
    assertThat(t.apply(1e21)).isEqualTo("1000000000000000000000");
    assertThat(t.apply(3.0)).isEqualTo("3");
    assertThat(t.apply(new BigDecimal("10.000"))).isEqualTo("10");
    assertThat(t.apply(7L)).isEqualTo("7");
    assertThat(t.apply(true)).isEqualTo("true");
    assertThat(t.apply(Double.NaN)).isEqualTo("NaN");
    assertThat(t.apply(new byte[] {1, 2, 3})).isEqualTo("AQID");
    assertThat(t.apply(LocalDate.of(2024, 5, 1))).isEqualTo("2024-05-01");
    assertThat(t.apply(null)).isNull();
  }

  @Test
  void toNumber_parsesIntegersAndDecimals() {
    Transform t = new Transform.ToNumber();
    assertThat(t.apply(" 42 ")).isEqualTo(42L);
    assertThat(t.apply("-7")).isEqualTo(-7L);
    assertThat(t.apply("3.25")).isEqualTo(3.25);
    assertThat(t.apply("1e3")).isEqualTo(1000.0);
    assertThat(t.apply("99999999999999999999")).isEqualTo(1.0E20);
    assertThat(t.apply(5)).isEqualTo(5L);
    assertThat(t.apply(true)).isEqualTo(1L);
    assertThat(t.apply(new BigInteger("5"))).isEqualTo(new BigInteger("5"));
  }

  @Test
  void toNumber_badInputBecomesNullNeverThrows() {
    Transform t = new Transform.ToNumber();
    for (Object bad : new Object[] {"abc", "", "  ", "1,5", "0x10", "NaN", "Infinity", "1e999999999", "9".repeat(500),
        List.of(1), new Object(), Float.NaN}) {
      assertThat(t.apply(bad)).as(String.valueOf(bad).length() > 20 ? "long" : String.valueOf(bad)).isNull();
    }
    assertThat(t.apply(null)).isNull();
  }

  @Test
  void toBoolean_acceptsCommonSpellingsOtherwiseNull() {
    Transform t = new Transform.ToBoolean();
    for (String yes : new String[] {"true", "YES", " y ", "On", "t", "1"}) {
      assertThat(t.apply(yes)).as(yes).isEqualTo(true);
    }
    for (String no : new String[] {"false", "No", "n", "OFF", "f", "0"}) {
      assertThat(t.apply(no)).as(no).isEqualTo(false);
    }
    assertThat(t.apply("maybe")).isNull();
    assertThat(t.apply("")).isNull();
    assertThat(t.apply(0L)).isEqualTo(false);
    assertThat(t.apply(2.5)).isEqualTo(true);
    assertThat(t.apply(new Object())).isNull();
  }

  @Test
  void toDate_normalizesToIsoText() {
    Transform t = new Transform.ToDate();
    assertThat(t.apply("2024-05-01T12:00:00+02:00")).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(t.apply("2024-05-01T10:00:00")).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(t.apply("2024-05-01 10:00:00")).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(t.apply("2024-05-01")).isEqualTo("2024-05-01");
    assertThat(t.apply(Instant.parse("2024-05-01T10:00:00Z"))).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(t.apply(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.ofHours(1)))).isEqualTo("2024-05-01T09:00:00Z");
    assertThat(t.apply(LocalDateTime.of(2024, 5, 1, 10, 0))).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(t.apply(java.sql.Timestamp.from(Instant.parse("2024-05-01T10:00:00Z")))).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(t.apply(java.sql.Date.valueOf(LocalDate.of(2024, 5, 1)))).isEqualTo("2024-05-01");
    assertThat(t.apply(0L)).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void toDate_badInputBecomesNull() {
    Transform t = new Transform.ToDate();
    for (Object bad : new Object[] {"yesterday", "2024-13-45", "", "x".repeat(1000), Long.MAX_VALUE, 1.5, true}) {
      assertThat(t.apply(bad)).isNull();
    }
  }

  @Test
  void round_halfUpKeepingTheNumberKind() {
    assertThat(new Transform.Round(2).apply(2.345)).isEqualTo(2.35);
    assertThat(new Transform.Round(0).apply(2.5)).isEqualTo(3.0);
    assertThat(new Transform.Round(1).apply(new BigDecimal("1.25"))).isEqualTo(new BigDecimal("1.3"));
    assertThat(new Transform.Round(2).apply(7L)).isEqualTo(7L);
    assertThat(new Transform.Round(2).apply(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(new Transform.Round(2).apply("2.345")).isEqualTo("2.345");
    assertThatThrownBy(() -> new Transform.Round(16)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void default_replacesOnlyNull() {
    Transform d = new Transform.Default("n/a");
    assertThat(d.apply(null)).isEqualTo("n/a");
    assertThat(d.apply("")).isEqualTo("");
    assertThatThrownBy(() -> new Transform.Default(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fieldTransforms_chainAppliesInOrder() {
    FieldTransforms chain = FieldTransforms.of(List.of(new Transform.Trim(), new Transform.ToNumber(),
        new Transform.Round(1), new Transform.Default(0L)));
    assertThat(chain.apply(" 3.14159 ")).isEqualTo(3.1);
    assertThat(chain.apply("abc")).isEqualTo(0L);
    assertThat(chain.apply(null)).isEqualTo(0L);
    assertThat(chain.toString()).isEqualTo("[trim, toNumber, round, default]");
    assertThat(FieldTransforms.of(List.of())).isSameAs(FieldTransforms.none());
    assertThat(FieldTransforms.none().apply("x")).isEqualTo("x");
  }

  @Test
  void fieldTransforms_orderMatters() {
    FieldTransforms a = FieldTransforms.of(List.of(new Transform.Truncate(3), new Transform.Trim()));
    FieldTransforms b = FieldTransforms.of(List.of(new Transform.Trim(), new Transform.Truncate(3)));
    assertThat(a.apply("  abcdef")).isEqualTo("a");
    assertThat(b.apply("  abcdef")).isEqualTo("abc");
    assertThat(a).isNotEqualTo(b);
  }
}
