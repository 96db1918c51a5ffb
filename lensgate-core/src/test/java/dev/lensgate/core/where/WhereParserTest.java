package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WhereParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  private static Filter parse(String where) {
    return WhereParser.parse(json(where), SampleTable.LENS);
  }

  private static LensgateException failure(JsonNode where) {
    try {
      WhereParser.parse(where, SampleTable.LENS);
    } catch (LensgateException e) {
      return e;
    }
    throw new AssertionError("expected a failure for " + where);
  }

  private static void assertCode(String where, ErrorCode code) {
    assertThat(failure(json(where)).code()).as(where).isEqualTo(code);
  }

  // ---- accepted shapes ----

  @Test
  void parse_nullMissingOrEmpty_isMatchAll() {
    assertThat(WhereParser.parse(null, SampleTable.LENS)).isEqualTo(Filters.matchAll());
    assertThat(WhereParser.parse(F.nullNode(), SampleTable.LENS)).isEqualTo(Filters.matchAll());
    assertThat(WhereParser.parse(MissingNode.getInstance(), SampleTable.LENS)).isEqualTo(Filters.matchAll());
    assertThat(parse("{}")).isEqualTo(Filters.matchAll());
    assertThat(parse("{\"$and\":[]}")).isEqualTo(Filters.matchAll());
    assertThat(parse("{\"$or\":[]}")).isEqualTo(Filters.matchNone());
  }

  @Test
  void parse_topLevelKeys_areAndedInOrder() {
    assertThat(parse("{\"label\":\"a\",\"qty\":1}")).isEqualTo(new Filter.And(List.of(
        Filters.eq("label", "a"), Filters.eq("qty", 1L))));
  }

  @Test
  void parse_nullEquality_isIsNull_andNeNull_isIsNotNull() {
    assertThat(parse("{\"label\":null}")).isEqualTo(Filters.isNull("label"));
    assertThat(parse("{\"label\":{\"$eq\":null}}")).isEqualTo(Filters.isNull("label"));
    assertThat(parse("{\"label\":{\"$ne\":null}}")).isEqualTo(Filters.isNotNull("label"));
  }

  @Test
  void parse_nullInsideInLists_matchesOrExcludesNull() {
    assertThat(parse("{\"qty\":{\"$in\":[1,null]}}")).isEqualTo(new Filter.Or(List.of(
        new Filter.In("qty", List.of(1L), false), Filters.isNull("qty"))));
    assertThat(parse("{\"qty\":{\"$nin\":[1,null]}}")).isEqualTo(new Filter.And(List.of(
        new Filter.In("qty", List.of(1L), true), Filters.isNotNull("qty"))));
    assertThat(parse("{\"qty\":{\"$in\":[null]}}")).isEqualTo(Filters.isNull("qty"));
    assertThat(parse("{\"qty\":{\"$nin\":[]}}")).isEqualTo(new Filter.In("qty", List.of(), true));
  }

  @Test
  void parse_everyOperator_buildsItsNode() {
    assertThat(parse("{\"qty\":{\"$gt\":1,\"$lte\":5}}")).isEqualTo(new Filter.And(List.of(
        Filters.compare("qty", Filter.CompareOp.GT, 1L), Filters.compare("qty", Filter.CompareOp.LTE, 5L))));
    assertThat(parse("{\"label\":{\"$like\":\"a\\\\%%\"}}")).isEqualTo(new Filter.Like("label", "a\\%%", false));
    assertThat(parse("{\"label\":{\"$ilike\":\"A_\"}}")).isEqualTo(new Filter.Like("label", "A_", true));
    assertThat(parse("{\"label\":{\"$contains\":\"%\"}}")).isEqualTo(new Filter.TextMatch("label", Filter.TextOp.CONTAINS, "%"));
    assertThat(parse("{\"label\":{\"$startsWith\":\"a\"}}")).isEqualTo(new Filter.TextMatch("label", Filter.TextOp.STARTS_WITH, "a"));
    assertThat(parse("{\"label\":{\"$endsWith\":\"a\"}}")).isEqualTo(new Filter.TextMatch("label", Filter.TextOp.ENDS_WITH, "a"));
    assertThat(parse("{\"label\":{\"$exists\":true}}")).isEqualTo(Filters.isNotNull("label"));
    assertThat(parse("{\"label\":{\"$not\":{\"$eq\":\"a\"}}}")).isEqualTo(Filters.not(Filters.eq("label", "a")));
    assertThat(parse("{\"$not\":{\"label\":\"a\"}}")).isEqualTo(Filters.not(Filters.eq("label", "a")));
    assertThat(parse("{\"$or\":[{\"label\":\"a\"},{\"qty\":2}]}")).isEqualTo(
        Filters.or(Filters.eq("label", "a"), Filters.eq("qty", 2L)));
  }

  @Test
  void parse_coercesWireValuesToFieldTypes() {
    assertThat(parse("{\"qty\":\"-42\"}")).isEqualTo(Filters.eq("qty", -42L));
    assertThat(parse("{\"qty\":2.0}")).isEqualTo(Filters.eq("qty", 2L));
    assertThat(parse("{\"qty\":9223372036854775807}")).isEqualTo(Filters.eq("qty", Long.MAX_VALUE));
    assertThat(parse("{\"price\":\"1.50\"}")).isEqualTo(Filters.eq("price", new BigDecimal("1.50")));
    assertThat(parse("{\"price\":\"1e2\"}")).isEqualTo(Filters.eq("price", new BigDecimal("100")));
    assertThat(parse("{\"price\":0.1}")).isEqualTo(Filters.eq("price", new BigDecimal("0.1")));
    assertThat(parse("{\"active\":false}")).isEqualTo(Filters.eq("active", false));
    assertThat(parse("{\"seenAt\":\"2024-02-29T13:00:00.123456+01:00\"}"))
        .isEqualTo(Filters.eq("seenAt", Instant.parse("2024-02-29T12:00:00.123456Z")));
    assertThat(parse("{\"day\":\"2024-02-29\"}")).isEqualTo(Filters.eq("day", LocalDate.of(2024, 2, 29)));
    assertThat(parse("{\"label\":\"\u65e5\ud83d\ude00 '\\\"; --\"}")).isEqualTo(Filters.eq("label", "\u65e5\ud83d\ude00 '\"; --"));
  }

  // ---- failures ----

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"nope\":1}",
      "{\"Label\":1}",
      "{\"$and\":[{\"nope\":1}]}",
      "{\"$not\":{\"labelText\":\"a\"}}",
      "{\"label\":\"a\",\"x\":{\"$eq\":1}}"})
  void parse_undeclaredField_isUnknownField(String where) {
    assertCode(where, ErrorCode.UNKNOWN_FIELD);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"$where\":\"1\"}",
      "{\"$foo\":[]}",
      "{\"label\":{\"$regex\":\"a\"}}",
      "{\"label\":{\"$IN\":[\"a\"]}}",
      "{\"label\":{\"$\":1}}",
      "{\"label\":{\"$not\":{\"$size\":1}}}"})
  void parse_unknownOperator_isUnsupportedOperator(String where) {
    assertCode(where, ErrorCode.UNSUPPORTED_OPERATOR);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]", "\"label\"", "1", "true",
      "{\"$and\":{}}", "{\"$and\":[1]}", "{\"$and\":[[]]}", "{\"$or\":\"x\"}", "{\"$not\":[]}", "{\"$not\":1}",
      "{\"$eq\":1}", "{\"$in\":[1]}", "{\"$like\":\"a\"}",
      "{\"label\":[\"a\"]}", "{\"label\":{}}", "{\"label\":{\"eq\":\"a\"}}", "{\"label\":{\"$eq\":\"a\",\"b\":1}}",
      "{\"label\":{\"$and\":[]}}", "{\"label\":{\"$or\":[]}}",
      "{\"label\":1}", "{\"label\":true}",
      "{\"qty\":\"abc\"}", "{\"qty\":1.5}", "{\"qty\":\"1.0\"}", "{\"qty\":99999999999999999999}",
      "{\"qty\":\"99999999999999999999\"}", "{\"qty\":true}", "{\"qty\":\" 1\"}",
      "{\"price\":\"NaN\"}", "{\"price\":\"abc\"}", "{\"price\":\"1e999\"}", "{\"price\":1e-40}", "{\"price\":1e40}",
      "{\"price\":\"0x10\"}", "{\"price\":true}",
      "{\"active\":\"true\"}", "{\"active\":1}", "{\"active\":{\"$gt\":true}}", "{\"active\":{\"$lte\":false}}",
      "{\"seenAt\":\"2024-01-01\"}", "{\"seenAt\":\"2024-01-01T00:00:00\"}", "{\"seenAt\":\"2024-01-01T00:00:00.0000001Z\"}",
      "{\"seenAt\":\"+10000-01-01T00:00:00Z\"}", "{\"seenAt\":\"0000-12-31T23:59:59Z\"}", "{\"seenAt\":1700000000}",
      "{\"seenAt\":\"yesterday\"}",
      "{\"day\":\"2024-13-01\"}", "{\"day\":\"20240101\"}", "{\"day\":\"2024-02-30\"}", "{\"day\":19000}",
      "{\"label\":{\"$gt\":null}}", "{\"label\":{\"$eq\":[\"a\"]}}", "{\"label\":{\"$eq\":{\"a\":1}}}",
      "{\"label\":{\"$in\":\"a\"}}", "{\"label\":{\"$in\":[[\"a\"]]}}", "{\"label\":{\"$in\":[{\"a\":1}]}}",
      "{\"label\":{\"$nin\":{}}}", "{\"qty\":{\"$in\":[\"x\"]}}",
      "{\"qty\":{\"$like\":\"1\"}}", "{\"seenAt\":{\"$contains\":\"2024\"}}", "{\"label\":{\"$like\":1}}",
      "{\"label\":{\"$like\":\"abc\\\\\"}}", "{\"label\":{\"$ilike\":\"\\\\\"}}", "{\"label\":{\"$startsWith\":null}}",
      "{\"label\":{\"$exists\":\"yes\"}}", "{\"label\":{\"$exists\":1}}", "{\"label\":{\"$not\":1}}",
      "{\"label\":{\"$not\":{}}}", "{\"label\":{\"$not\":\"a\"}}",
      "{\"label\":\"a\\u0000b\"}", "{\"label\":{\"$like\":\"\\u0000\"}}", "{\"label\":\"\\ud800\"}",
      "{\"label\":\"x\\udc00\"}", "{\"label\":{\"$in\":[\"\\ud83d\"]}}"})
  void parse_badShapeOrValue_isInvalidRequest(String where) {
    assertCode(where, ErrorCode.INVALID_REQUEST);
  }

  @Test
  void unknownField_messageIsSanitizedAndTruncated() {
    String evil = "x\"'; DROP TABLE \"Items\"; -- /* */ \\ \u0000 <script>\n" + "A".repeat(10_000);
    ObjectNode where = F.objectNode();
    where.put(evil, 1);
    LensgateException e = failure(where);
    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FIELD);
    assertThat(e.getMessage())
        .hasSizeLessThan(120)
        .doesNotContain("\"", ";", " DROP", "--", "/*", "\\", "\u0000", "<", "\n")
        .startsWith("unknown field 'x????DROP?TABLE?");
  }

  @Test
  void unsupportedOperator_messageIsSanitized() {
    LensgateException e = failure(json("{\"label\":{\"$x'; --\":1}}"));
    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATOR);
    assertThat(e.getMessage()).isEqualTo("unsupported operator '$x?????'");
  }

  @Test
  void valueErrors_neverEchoTheValue() {
    LensgateException e = failure(json("{\"qty\":\"secret-token-123\"}"));
    assertThat(e.getMessage()).contains("qty").doesNotContain("secret-token-123");
  }

  // ---- bounds ----

  @Test
  void parse_atDepthLimit_isAccepted_andOneDeeper_isRejected() {
    assertThat(WhereParser.parse(nestedNot(15, json("{\"id\":1}")), SampleTable.LENS)).isNotNull();
    assertThat(failure(nestedNot(16, json("{\"id\":1}"))).getMessage()).contains("deeper than 16");
    // The operator object counts as a level too.
    assertThat(failure(nestedNot(15, json("{\"id\":{\"$eq\":1}}"))).getMessage()).contains("deeper than 16");
  }

  @Test
  void parse_veryDeepNesting_isRejectedWithoutRecursingToTheBottom() {
    LensgateException e = failure(nestedNot(100_000, json("{\"id\":1}")));
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void parse_atNodeLimit_isAccepted_andOneMore_isRejected() {
    assertThat(WhereParser.parse(orOf(255), SampleTable.LENS)).isInstanceOf(Filter.Or.class);
    assertThat(failure(orOf(256)).getMessage()).contains("more than 256 conditions");
  }

  @Test
  void parse_hugeContainers_areRejectedBySizeBeforeLookingAtElements() {
    // Every element is invalid; a size-first check reports the size, not the element.
    ArrayNode bad = F.arrayNode();
    for (int i = 0; i < 200_000; i++) {
      bad.add(F.objectNode());
    }
    ObjectNode or = F.objectNode();
    or.set("$or", bad);
    assertThat(failure(or).getMessage()).contains("more than 256 conditions");

    ObjectNode in = F.objectNode();
    in.putObject("qty").set("$in", bad);
    assertThat(failure(in).getMessage()).contains("more than 1000 values");

    ObjectNode wide = F.objectNode();
    for (int i = 0; i < 100_000; i++) {
      wide.put("unknown" + i, 1);
    }
    assertThat(failure(wide).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void parse_inListAtLimit_isAccepted_andOneMore_isRejected() {
    assertThat(WhereParser.parse(inList(1000), SampleTable.LENS)).isInstanceOf(Filter.In.class);
    assertThat(failure(inList(1001)).getMessage()).contains("more than 1000 values");
  }

  @Test
  void parse_tooManyValuesInTotal_isRejected() {
    ArrayNode and = F.arrayNode();
    for (int i = 0; i < 5; i++) {
      and.add(inList(1000));
    }
    ObjectNode where = F.objectNode();
    where.set("$and", and);
    assertThat(failure(where).getMessage()).contains("more than 4096 values");
  }

  @Test
  void parse_stringAtLengthLimit_isAccepted_andOneMore_isRejected() {
    ObjectNode ok = F.objectNode().put("label", "a".repeat(FieldValues.MAX_STRING_CHARS));
    assertThat(WhereParser.parse(ok, SampleTable.LENS)).isInstanceOf(Filter.Compare.class);
    ObjectNode tooLong = F.objectNode().put("label", "a".repeat(FieldValues.MAX_STRING_CHARS + 1));
    assertThat(failure(tooLong).getMessage()).contains("longer than 4096");
    ObjectNode pattern = F.objectNode();
    pattern.putObject("label").put("$like", "%".repeat(FieldValues.MAX_STRING_CHARS + 1));
    assertThat(failure(pattern).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void parse_customLimits_areApplied() {
    WhereLimits tight = new WhereLimits(2, 3, 2, 3);
    assertThatThrownBy(() -> WhereParser.parse(json("{\"qty\":{\"$in\":[1,2,3]}}"), SampleTable.LENS, tight))
        .hasMessageContaining("more than 2 values");
    assertThatThrownBy(() -> WhereParser.parse(json("{\"$not\":{\"$not\":{\"id\":1}}}"), SampleTable.LENS, tight))
        .hasMessageContaining("deeper than 2");
    assertThatThrownBy(() -> new WhereLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode nestedNot(int levels, JsonNode inner) {
    JsonNode n = inner;
    for (int i = 0; i < levels; i++) {
      ObjectNode o = F.objectNode();
      o.set("$not", n);
      n = o;
    }
    return n;
  }

  private static ObjectNode orOf(int children) {
    ArrayNode arr = F.arrayNode();
    for (int i = 0; i < children; i++) {
      arr.add(F.objectNode().put("id", i));
    }
    ObjectNode o = F.objectNode();
    o.set("$or", arr);
    return o;
  }

  private static ObjectNode inList(int n) {
    ArrayNode arr = F.arrayNode();
    for (int i = 0; i < n; i++) {
      arr.add(i);
    }
    ObjectNode o = F.objectNode();
    o.putObject("qty").set("$in", arr);
    return o;
  }
}
