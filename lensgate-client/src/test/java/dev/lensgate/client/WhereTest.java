package dev.lensgate.client;

import static dev.lensgate.client.Fixtures.q;
import static dev.lensgate.client.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WhereTest {

  static Stream<Arguments> helpers() {
    return Stream.of(
        Arguments.of(Where.eq("name", "boot"), "{'name':{'$eq':'boot'}}"),
        Arguments.of(Where.ne("name", "boot"), "{'name':{'$ne':'boot'}}"),
        Arguments.of(Where.gt("price", 10), "{'price':{'$gt':10}}"),
        Arguments.of(Where.gte("price", 10.5), "{'price':{'$gte':10.5}}"),
        Arguments.of(Where.lt("price", new BigDecimal("9.90")), "{'price':{'$lt':9.90}}"),
        Arguments.of(Where.lte("qty", 3L), "{'qty':{'$lte':3}}"),
        Arguments.of(Where.in("id", 1, 2, 3), "{'id':{'$in':[1,2,3]}}"),
        Arguments.of(Where.in("id", List.of("a", "b")), "{'id':{'$in':['a','b']}}"),
        Arguments.of(Where.nin("id", 4), "{'id':{'$nin':[4]}}"),
        Arguments.of(Where.nin("id", List.of()), "{'id':{'$nin':[]}}"),
        Arguments.of(Where.like("name", "Bo%"), "{'name':{'$like':'Bo%'}}"),
        Arguments.of(Where.ilike("name", "bo%"), "{'name':{'$ilike':'bo%'}}"),
        Arguments.of(Where.contains("tags", "red"), "{'tags':{'$contains':'red'}}"),
        Arguments.of(Where.startsWith("sku", "AB-"), "{'sku':{'$startsWith':'AB-'}}"),
        Arguments.of(Where.endsWith("sku", "-X"), "{'sku':{'$endsWith':'-X'}}"),
        Arguments.of(Where.exists("deletedAt"), "{'deletedAt':{'$exists':true}}"),
        Arguments.of(Where.exists("deletedAt", false), "{'deletedAt':{'$exists':false}}"),
        Arguments.of(Where.eq("note", null), "{'note':{'$eq':null}}"),
        Arguments.of(Where.and(Where.eq("a", 1), Where.eq("b", 2)),
            "{'$and':[{'a':{'$eq':1}},{'b':{'$eq':2}}]}"),
        Arguments.of(Where.or(Where.eq("a", 1)), "{'$or':[{'a':{'$eq':1}}]}"),
        Arguments.of(Where.not(Where.lt("price", 5)), "{'$not':{'price':{'$lt':5}}}"),
        Arguments.of(Where.raw(Map.of("price", Map.of("$gt", 1))), "{'price':{'$gt':1}}"));
  }

  @ParameterizedTest
  @MethodSource("helpers")
  void helper_anyOperator_producesContractJson(Where where, String expected) {
    assertThat(tree(where.toMap())).isEqualTo(tree(q(expected)));
  }

  @Test
  void lt_bigDecimal_writtenWithAllDigits() {
    assertThat(Fixtures.wire(Where.lt("price", new BigDecimal("9.90")).toMap()))
        .isEqualTo(q("{'price':{'$lt':9.90}}"));
  }

  @Test
  void eq_mapValue_staysAValueNotOperators() {
    Where w = Where.eq("meta", Map.of("$gt", 1));
    assertThat(tree(w.toMap())).isEqualTo(tree(q("{'meta':{'$eq':{'$gt':1}}}")));
  }

  @Test
  void eq_javaTimeUuidEnum_sentAsText() {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(Where.eq("d", LocalDate.of(2024, 2, 29)).toMap().get("d"))
        .isEqualTo(Map.of("$eq", "2024-02-29"));
    assertThat(Where.eq("u", id).toMap().get("u")).isEqualTo(Map.of("$eq", id.toString()));
    assertThat(Where.eq("dir", Direction.DESC).toMap().get("dir")).isEqualTo(Map.of("$eq", "DESC"));
  }

  @Test
  void eq_intAndLong_equalFilters() {
    assertThat(Where.eq("a", 1)).isEqualTo(Where.eq("a", 1L)).hasSameHashCodeAs(Where.eq("a", 1L));
    assertThat(Where.eq("a", 1)).isNotEqualTo(Where.eq("a", 2));
  }

  @Test
  void field_dollarPrefixed_rejected() {
    assertThatThrownBy(() -> Where.eq("$or", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Where.eq(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Where.eq(null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void value_nanOrInfinite_rejected() {
    assertThatThrownBy(() -> Where.gt("p", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Where.gt("p", Float.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void value_unsupportedType_rejectedWithTypeName() {
    assertThatThrownBy(() -> Where.eq("p", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void value_selfReferencingList_rejectedNotStackOverflow() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);
    assertThatThrownBy(() -> Where.in("p", loop)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void raw_nonStringKeyOrEmpty_rejected() {
    Map<Object, Object> bad = new HashMap<>();
    bad.put(1, "x");
    @SuppressWarnings("unchecked")
    Map<String, ?> sneaky = (Map<String, ?>) (Map<?, ?>) Map.of("a", bad);
    assertThatThrownBy(() -> Where.raw(sneaky)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Where.raw(Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void andOr_noFilters_rejected() {
    assertThatThrownBy(Where::and).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(Where::or).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void in_callerMutatesListAfterwards_filterUnchanged() {
    List<Object> ids = new ArrayList<>(List.of(1, 2));
    Where w = Where.in("id", ids);
    ids.add(3);
    assertThat(tree(w.toMap())).isEqualTo(tree(q("{'id':{'$in':[1,2]}}")));
    assertThatThrownBy(() -> w.toMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }
}
