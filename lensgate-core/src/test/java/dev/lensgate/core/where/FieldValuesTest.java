package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldValuesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final LensField NUMBER = new LensField("price", "price", FieldType.NUMBER);

  @Test
  void textForm_roundTripsEveryTypeExactly() {
    List<Object> values = List.of("a\"'\\日😀", "", Long.MIN_VALUE, new BigDecimal("1.50"), new BigDecimal("1E-30"),
        new BigDecimal("12345678901234567890123456789012345"), Boolean.TRUE, Boolean.FALSE,
        Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("2024-02-29T12:00:00.000001Z"), LocalDate.of(1, 1, 1));
    FieldType[] types = {FieldType.STRING, FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER, FieldType.NUMBER,
        FieldType.NUMBER, FieldType.BOOLEAN, FieldType.BOOLEAN, FieldType.TIMESTAMP, FieldType.TIMESTAMP, FieldType.DATE};
    for (int i = 0; i < values.size(); i++) {
      assertThat(FieldValues.fromText(FieldValues.toText(values.get(i)), types[i])).isEqualTo(values.get(i));
    }
  }

  @Test
  void fromText_rejectsMalformedText() {
    assertThatThrownBy(() -> FieldValues.fromText("1.0", FieldType.INTEGER)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.fromText("yes", FieldType.BOOLEAN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.fromText("x", FieldType.NUMBER)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.fromText("2024-01-01", FieldType.TIMESTAMP)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.fromText("\ud800", FieldType.STRING)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void coerce_numbersAtTheirBounds() {
    assertThat(FieldValues.coerce(F.textNode("0." + "0".repeat(29) + "1"), NUMBER)).isEqualTo(new BigDecimal("1E-30"));
    assertThat(FieldValues.coerce(F.textNode("1.500000000000000000000000000000000"), NUMBER)).isEqualTo(new BigDecimal("1.5"));
    assertThatThrownBy(() -> FieldValues.coerce(F.textNode("0." + "0".repeat(30) + "1"), NUMBER)).isInstanceOf(LensgateException.class);
    assertThat(FieldValues.coerce(F.textNode("9".repeat(35)), NUMBER)).isEqualTo(new BigDecimal("9".repeat(35)));
    assertThatThrownBy(() -> FieldValues.coerce(F.textNode("9".repeat(36)), NUMBER)).isInstanceOf(LensgateException.class);
    assertThat((BigDecimal) FieldValues.coerce(F.numberNode(1e3), NUMBER)).isEqualByComparingTo("1000");
    assertThatThrownBy(() -> FieldValues.coerce(F.numberNode(Double.NaN), NUMBER)).isInstanceOf(LensgateException.class);
    assertThatThrownBy(() -> FieldValues.coerce(F.numberNode(Double.POSITIVE_INFINITY), NUMBER)).isInstanceOf(LensgateException.class);
    assertThatThrownBy(() -> FieldValues.coerce(F.nullNode(), NUMBER)).isInstanceOf(LensgateException.class);
  }

  @Test
  void toJson_numbersAsNumbers_timesAsIsoText() {
    assertThat(FieldValues.toJson(new BigDecimal("1.50")).isNumber()).isTrue();
    assertThat(FieldValues.toJson(7L).longValue()).isEqualTo(7L);
    assertThat(FieldValues.toJson(Instant.parse("2024-01-01T00:00:00Z")).textValue()).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(FieldValues.toJson(LocalDate.of(2024, 1, 1)).textValue()).isEqualTo("2024-01-01");
    assertThat(FieldValues.toJson(null).isNull()).isTrue();
    assertThatThrownBy(() -> FieldValues.toJson(new Object())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void compare_ordersByCodePoint_andRefusesMixedTypes() {
    assertThat(FieldValues.compare("\ufffd", "\ud83d\ude00")).isNegative();
    assertThat("\ufffd".compareTo("\ud83d\ude00")).isPositive();
    assertThat(FieldValues.compare("ab", "a")).isPositive();
    assertThat(FieldValues.compare(1L, new BigDecimal("1.0"))).isZero();
    assertThatThrownBy(() -> FieldValues.compare("1", 1L)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.compare(Instant.EPOCH, LocalDate.EPOCH)).isInstanceOf(IllegalArgumentException.class);
  }
}
