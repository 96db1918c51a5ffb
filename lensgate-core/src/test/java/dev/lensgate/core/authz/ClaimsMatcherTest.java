package dev.lensgate.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimsMatcherTest {

  @Test
  void matches_numbersCompareByValueAcrossKinds() {
    assertThat(ClaimsMatcher.matches(Map.of("level", List.of(3L)), Map.of("level", 3.0))).isTrue();
    assertThat(ClaimsMatcher.matches(Map.of("level", List.of(2.5)), Map.of("level", 2.5))).isTrue();
    assertThat(ClaimsMatcher.matches(Map.of("level", List.of(3L)), Map.of("level", 4L))).isFalse();
  }

  @Test
  void matches_noCoercionBetweenKinds() {
    assertThat(ClaimsMatcher.matches(Map.of("level", List.of(3L)), Map.of("level", "3"))).isFalse();
    assertThat(ClaimsMatcher.matches(Map.of("beta", List.of(true)), Map.of("beta", "true"))).isFalse();
    assertThat(ClaimsMatcher.matches(Map.of("beta", List.of(true)), Map.of("beta", true))).isTrue();
  }

  @Test
  void matches_everyListedClaimMustMatch() {
    Map<String, List<Object>> required = Map.of("plan", List.of("pro"), "region", List.of("eu", "us"));
    assertThat(ClaimsMatcher.matches(required, Map.of("plan", "pro", "region", "us"))).isTrue();
    assertThat(ClaimsMatcher.matches(required, Map.of("plan", "pro"))).isFalse();
    assertThat(ClaimsMatcher.matches(required, Map.of("plan", "pro", "region", "apac"))).isFalse();
  }

  @Test
  void matches_arrayClaimMatchesByAnyElement_nestedAndNullNever() {
    Map<String, List<Object>> required = Map.of("roles", List.of("admin"));
    assertThat(ClaimsMatcher.matches(required, Map.of("roles", List.of("viewer", "admin")))).isTrue();
    assertThat(ClaimsMatcher.matches(required, Map.of("roles", List.of()))).isFalse();
    assertThat(ClaimsMatcher.matches(required, Map.of("roles", Map.of("admin", true)))).isFalse();
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("roles", null);
    assertThat(ClaimsMatcher.matches(required, withNull)).isFalse();
  }

  @Test
  void matches_nothingRequired_matchesAnything() {
    assertThat(ClaimsMatcher.matches(Map.of(), Map.of())).isTrue();
  }
}
