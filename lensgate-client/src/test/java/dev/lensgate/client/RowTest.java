package dev.lensgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTest {

  /** Parsed the way answers are parsed. */
  private static Row row(String json) {
    try {
      byte[] bytes = Fixtures.q(json).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return new Row(JsonTree.toMap(new JsonTree().read(bytes)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void getters_matchingTypes_returnValues() {
    Row r = row("{'id':7,'name':'Boot','price':9.5,'ok':true,'none':null}");
    assertThat(r.getLong("id")).isEqualTo(7L);
    assertThat(r.getString("name")).isEqualTo("Boot");
    assertThat(r.getDouble("price")).isEqualTo(9.5);
    assertThat(r.getBoolean("ok")).isTrue();
    assertThat(r.getString("none")).isNull();
    assertThat(r.getLong("none")).isNull();
    assertThat(r.has("none")).isTrue();
  }

  @Test
  void get_missingField_throwsNamingIt() {
    Row r = row("{'id':1}");
    assertThatThrownBy(() -> r.get("nmae"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nmae");
    assertThat(r.has("nmae")).isFalse();
  }

  @Test
  void getters_wrongType_classCastWithoutValue() {
    Row r = row("{'name':'TopSecretValue','id':3}");
    assertThatThrownBy(() -> r.getLong("name"))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("name")
        .hasMessageNotContaining("TopSecretValue");
    assertThatThrownBy(() -> r.getString("id")).isInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> r.getBoolean("id")).isInstanceOf(ClassCastException.class);
    assertThatThrownBy(() -> r.getDouble("name")).isInstanceOf(ClassCastException.class);
  }

  @Test
  void getLong_integralDecimal_acceptedFractionRejected() {
    Row r = row("{'a':3.0,'b':3.5,'big':123456789012345678901234567890}");
    assertThat(r.getLong("a")).isEqualTo(3L);
    assertThatThrownBy(() -> r.getLong("b")).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> r.getLong("big")).isInstanceOf(ArithmeticException.class);
    assertThat(r.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void decimals_keptExactWithTrailingZeros() {
    Row r = row("{'price':9.90,'tiny':0.1000000000000000000001}");
    assertThat(r.get("price")).isEqualTo(new BigDecimal("9.90"));
    assertThat(r.getBigDecimal("tiny")).isEqualTo(new BigDecimal("0.1000000000000000000001"));
    assertThat(r.getBigDecimal("price").toPlainString()).isEqualTo("9.90");
  }

  @Test
  void nested_objectsAndArrays_unmodifiableAndOrdered() {
    Row r = row("{'z':1,'a':{'k':[1,'x',null]}}");
    assertThat(r.fieldNames()).containsExactly("z", "a");
    @SuppressWarnings("unchecked")
    Map<String, Object> nested = (Map<String, Object>) r.get("a");
    assertThat(nested.get("k")).isEqualTo(java.util.Arrays.asList(1L, "x", null));
    List<?> k = (List<?>) nested.get("k");
    assertThatThrownBy(() -> k.add(null))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.asMap().put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
  }
}
