package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimArgsTest {
  @Test
  void parse_plainAndTyped_keepOrderAndTypes() {
    Map<String, Object> claims = ClaimArgs.parse(List.of("a=1", "b:=1", "c:=1.5", "d:=null", "e:={\"k\":[1]}", "f="));

    assertThat(claims).containsKeys("a", "b", "c", "d", "e", "f");
    assertThat(claims.keySet()).containsExactly("a", "b", "c", "d", "e", "f");
    assertThat(claims.get("a")).isEqualTo("1");
    assertThat(claims.get("b")).isEqualTo(1);
    assertThat(claims.get("c")).isEqualTo(new BigDecimal("1.5"));
    assertThat(claims.get("d")).isNull();
    assertThat(claims.get("e")).isEqualTo(Map.of("k", List.of(1)));
    assertThat(claims.get("f")).isEqualTo("");
  }

  @Test
  void parse_invalid_throwsWithoutEchoingTheValue() {
    assertThatThrownBy(() -> ClaimArgs.parse(List.of("k:=[1, zz-value"))).hasMessageNotContaining("zz-value");
    assertThatThrownBy(() -> ClaimArgs.parse(List.of("k:=1 2"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClaimArgs.parse(List.of("k:="))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClaimArgs.parse(List.of(":=1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClaimArgs.parse(List.of("bad key=1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClaimArgs.parse(List.of("k=1", "k:=2"))).hasMessageContaining("twice");
  }
}
