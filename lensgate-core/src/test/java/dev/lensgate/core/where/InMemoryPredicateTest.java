package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryPredicateTest {
  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final Map<String, Object> NULL_LABEL = row("label", null, "qty", 1L);

  @Test
  void comparisonWithNull_isUnknown_andNotUnknown_staysUnknown() {
    Filter eq = Filters.eq("label", "a");
    assertThat(InMemoryPredicate.test(eq, NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(Filters.not(eq), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(Filters.compare("label", Filter.CompareOp.NE, "a"), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(new Filter.In("label", List.of("a"), true), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(Filters.not(new Filter.In("label", List.of("a"), false)), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(new Filter.Like("label", "%", false), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(Filters.not(new Filter.TextMatch("label", Filter.TextOp.CONTAINS, "")), NULL_LABEL)).isFalse();
  }

  @Test
  void kleeneLogic_unknownOrTrue_isTrue_unknownAndFalse_isFalse() {
    Filter unknown = Filters.eq("label", "a");
    Filter yes = Filters.eq("qty", 1L);
    Filter no = Filters.eq("qty", 2L);
    assertThat(InMemoryPredicate.test(Filters.or(unknown, yes), NULL_LABEL)).isTrue();
    assertThat(InMemoryPredicate.test(Filters.not(Filters.and(unknown, no)), NULL_LABEL)).isTrue();
    assertThat(InMemoryPredicate.test(Filters.not(Filters.and(unknown, yes)), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(Filters.not(Filters.or(unknown, no)), NULL_LABEL)).isFalse();
  }

  @Test
  void missingKey_isNull_andExistsIsNeverUnknown() {
    assertThat(InMemoryPredicate.test(Filters.isNull("day"), row())).isTrue();
    assertThat(InMemoryPredicate.test(Filters.not(Filters.isNotNull("day")), row())).isTrue();
  }

  @Test
  void emptyInLists_areConstantsEvenForNull() {
    assertThat(InMemoryPredicate.test(new Filter.In("label", List.of(), false), NULL_LABEL)).isFalse();
    assertThat(InMemoryPredicate.test(new Filter.In("label", List.of(), true), NULL_LABEL)).isTrue();
  }

  @Test
  void strings_compareExactlyAndByCodePoint() {
    Map<String, Object> r = row("label", "acme");
    assertThat(InMemoryPredicate.test(Filters.eq("label", "ACME"), r)).isFalse();
    assertThat(InMemoryPredicate.test(Filters.eq("label", "acme "), r)).isFalse();
    // U+FFFD sorts below U+1F600 by code point, above it by UTF-16 unit.
    assertThat(InMemoryPredicate.test(Filters.compare("label", Filter.CompareOp.LT, "\ud83d\ude00"), row("label", "\ufffd"))).isTrue();
    assertThat(InMemoryPredicate.test(Filters.compare("label", Filter.CompareOp.GT, "B"), row("label", "a"))).isTrue();
  }

  @Test
  void numbers_compareNumerically() {
    Map<String, Object> r = row("price", new BigDecimal("1.50"), "qty", 2L);
    assertThat(InMemoryPredicate.test(Filters.eq("price", new BigDecimal("1.5")), r)).isTrue();
    assertThat(InMemoryPredicate.test(new Filter.In("price", List.of(new BigDecimal("1.500")), false), r)).isTrue();
    assertThat(InMemoryPredicate.test(Filters.compare("price", Filter.CompareOp.GT, new BigDecimal("1.49999")), r)).isTrue();
    assertThat(InMemoryPredicate.test(Filters.eq("qty", 2L), row("qty", 2))).isTrue();
  }

  @Test
  void timesAndDates_compareChronologically() {
    Map<String, Object> r = row("seenAt", Instant.parse("2024-01-01T00:00:00.000001Z"), "day", LocalDate.of(2024, 1, 1));
    assertThat(InMemoryPredicate.test(Filters.compare("seenAt", Filter.CompareOp.GT, Instant.parse("2024-01-01T00:00:00Z")), r)).isTrue();
    assertThat(InMemoryPredicate.test(Filters.compare("day", Filter.CompareOp.LTE, LocalDate.of(2023, 12, 31)), r)).isFalse();
  }

  @Test
  void likeAndSubstrings_followTheirDefinitions() {
    Map<String, Object> r = row("label", "50%_Off\\Now");
    assertThat(InMemoryPredicate.test(new Filter.Like("label", "50\\%\\_off%", false), r)).isFalse();
    assertThat(InMemoryPredicate.test(new Filter.Like("label", "50\\%\\_off%", true), r)).isTrue();
    assertThat(InMemoryPredicate.test(new Filter.Like("label", "%\\\\Now", false), r)).isTrue();
    assertThat(InMemoryPredicate.test(new Filter.TextMatch("label", Filter.TextOp.CONTAINS, "%_"), r)).isTrue();
    assertThat(InMemoryPredicate.test(new Filter.TextMatch("label", Filter.TextOp.CONTAINS, "%x"), r)).isFalse();
    assertThat(InMemoryPredicate.test(new Filter.TextMatch("label", Filter.TextOp.STARTS_WITH, "50%"), r)).isTrue();
    assertThat(InMemoryPredicate.test(new Filter.TextMatch("label", Filter.TextOp.ENDS_WITH, "\\now"), r)).isFalse();
  }

  @Test
  void ilike_foldsAsciiLettersOnly() {
    assertThat(InMemoryPredicate.test(new Filter.Like("label", "ÉCOLE", true), row("label", "école"))).isFalse();
    assertThat(InMemoryPredicate.test(new Filter.Like("label", "éCOLE", true), row("label", "école"))).isTrue();
  }

  @Test
  void valueOfWrongType_failsInsteadOfGuessing() {
    assertThatThrownBy(() -> InMemoryPredicate.test(Filters.eq("qty", 1L), row("qty", "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InMemoryPredicate.test(new Filter.Like("qty", "1", false), row("qty", 1L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void filterNodes_rejectInvalidConstruction() {
    assertThatThrownBy(() -> new Filter.And(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Filter.Or(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Filters.eq("qty", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Filters.eq("qty", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Filter.Like("label", "a\\", false)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Filters.and(Filters.matchAll(), Filters.eq("qty", 1L))).isEqualTo(Filters.eq("qty", 1L));
  }
}
