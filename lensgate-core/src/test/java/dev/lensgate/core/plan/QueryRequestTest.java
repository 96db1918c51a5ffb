package dev.lensgate.core.plan;

import static dev.lensgate.core.plan.PlanFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.SampleTable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryRequestTest {
  private static QueryRequest parse(String body) {
    return QueryRequest.parse(json(body), SampleTable.LENS);
  }

  private static ErrorCode code(String body) {
    try {
      parse(body);
    } catch (LensgateException e) {
      return e.code();
    }
    throw new AssertionError("expected a failure for " + body);
  }

  @Test
  void parse_emptyOrNullBody_usesDefaults() {
    for (QueryRequest r : List.of(parse("{}"), QueryRequest.parse(null, SampleTable.LENS), parse("null"),
        parse("{\"where\":null,\"orderBy\":null,\"limit\":null,\"offset\":null,\"cursor\":null,\"select\":null}"))) {
      assertThat(r.limit()).isEqualTo(100);
      assertThat(r.offset()).isNull();
      assertThat(r.cursor()).isNull();
      assertThat(r.orderBy()).isEmpty();
      assertThat(r.select()).isEmpty();
      assertThat(r.where()).isNull();
    }
  }

  @Test
  void parse_withConfiguredDefault_appliesItOnlyWhenTheBodyNamesNoLimit() {
    for (String body : new String[] {"{}", "null", "{\"limit\":null}", "{\"where\":{\"qty\":1}}"}) {
      assertThat(QueryRequest.parse(json(body), SampleTable.LENS, 7).limit()).as(body).isEqualTo(7);
    }
    assertThat(QueryRequest.parse(null, SampleTable.LENS, 7).limit()).isEqualTo(7);
    assertThat(QueryRequest.parse(json("{\"limit\":3}"), SampleTable.LENS, 7).limit()).isEqualTo(3);
    assertThat(QueryRequest.parse(json("{\"limit\":1000}"), SampleTable.LENS, 1).limit()).isEqualTo(1000);
    assertThat(QueryRequest.parse(json("{}"), SampleTable.LENS, 1000).limit()).isEqualTo(1000);
    assertThat(QueryRequest.parse(json("{}"), SampleTable.LENS, 1).limit()).isEqualTo(1);
  }

  @Test
  void parse_withConfiguredDefault_stillCapsTheBodysLimitAndValidatesTheRest() {
    assertThatThrownBy(() -> QueryRequest.parse(json("{\"limit\":1001}"), SampleTable.LENS, 1000))
        .isInstanceOf(LensgateException.class).extracting(e -> ((LensgateException) e).code())
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThatThrownBy(() -> QueryRequest.parse(json("{\"limit\":0}"), SampleTable.LENS, 5))
        .isInstanceOf(LensgateException.class);
    assertThatThrownBy(() -> QueryRequest.parse(json("{\"where\":{\"nope\":1}}"), SampleTable.LENS, 5))
        .isInstanceOf(LensgateException.class).extracting(e -> ((LensgateException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_FIELD);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void parse_defaultOutsideTheCap_isAProgrammingError(int defaultLimit) {
    assertThatThrownBy(() -> QueryRequest.parse(json("{}"), SampleTable.LENS, defaultLimit))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultLimit");
  }

  @Test
  void parse_fullBody_keepsEveryPart() {
    QueryRequest r = parse("{\"where\":{\"qty\":1},\"orderBy\":[{\"field\":\"label\",\"dir\":\"DESC\"},{\"field\":\"qty\"}],"
        + "\"limit\":1000,\"offset\":100000,\"select\":[\"price\",\"label\"]}");
    assertThat(r.where()).isEqualTo(json("{\"qty\":1}"));
    assertThat(r.orderBy()).containsExactly(SortKey.desc("label"), SortKey.asc("qty"));
    assertThat(r.limit()).isEqualTo(1000);
    assertThat(r.offset()).isEqualTo(100_000);
    assertThat(r.select()).containsExactly("price", "label");
    assertThat(parse("{\"orderBy\":{\"field\":\"qty\",\"dir\":\"asc\"},\"limit\":1}").orderBy()).containsExactly(SortKey.asc("qty"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]", "\"x\"", "1",
      "{\"filter\":{}}", "{\"Where\":{}}", "{\"where\":{},\"extra\":1}",
      "{\"where\":[]}", "{\"where\":\"label = 1\"}", "{\"where\":1}",
      "{\"limit\":0}", "{\"limit\":1001}", "{\"limit\":-1}", "{\"limit\":1.5}", "{\"limit\":\"10\"}", "{\"limit\":true}",
      "{\"limit\":99999999999}",
      "{\"offset\":-1}", "{\"offset\":100001}", "{\"offset\":\"1\"}", "{\"offset\":0.5}",
      "{\"offset\":0,\"cursor\":\"abc\"}", "{\"cursor\":1}", "{\"cursor\":{}}",
      "{\"orderBy\":\"label\"}", "{\"orderBy\":1}", "{\"orderBy\":[\"label\"]}", "{\"orderBy\":{\"dir\":\"asc\"}}",
      "{\"orderBy\":{\"field\":1}}", "{\"orderBy\":{\"field\":\"label\",\"dir\":\"up\"}}",
      "{\"orderBy\":{\"field\":\"label\",\"dir\":1}}", "{\"orderBy\":{\"field\":\"label\",\"nulls\":\"first\"}}",
      "{\"orderBy\":[{\"field\":\"label\"},{\"field\":\"label\",\"dir\":\"desc\"}]}",
      "{\"orderBy\":[{\"field\":\"id\"},{\"field\":\"label\"},{\"field\":\"qty\"},{\"field\":\"price\"},{\"field\":\"active\"},"
          + "{\"field\":\"seenAt\"},{\"field\":\"day\"},{\"field\":\"id\"},{\"field\":\"label\"}]}",
      "{\"select\":[]}", "{\"select\":\"label\"}", "{\"select\":[1]}", "{\"select\":[\"label\",\"label\"]}",
      "{\"select\":[null]}",
      "{\"where\":{\"qty\":\"x\"}}"})
  void parse_badShape_isInvalidRequest(String body) {
    assertThat(code(body)).as(body).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"where\":{\"nope\":1}}", "{\"orderBy\":{\"field\":\"nope\"}}", "{\"orderBy\":[{\"field\":\"labelText\"}]}",
      "{\"select\":[\"label\",\"nope\"]}", "{\"select\":[\"labelText\"]}"})
  void parse_undeclaredField_isUnknownField(String body) {
    assertThat(code(body)).as(body).isEqualTo(ErrorCode.UNKNOWN_FIELD);
  }

  @Test
  void parse_unknownOperator_isUnsupportedOperator() {
    assertThat(code("{\"where\":{\"label\":{\"$regex\":\".*\"}}}")).isEqualTo(ErrorCode.UNSUPPORTED_OPERATOR);
  }

  @Test
  void constructor_validatesLikeParse() {
    assertThatThrownBy(() -> new QueryRequest(null, null, 0, null, null, null)).isInstanceOf(LensgateException.class);
    assertThatThrownBy(() -> new QueryRequest(null, null, 10, 1, "c", null)).isInstanceOf(LensgateException.class);
    assertThatThrownBy(() -> new QueryRequest(null, null, 10, -1, null, null)).isInstanceOf(LensgateException.class);
    assertThat(QueryRequest.of(null).limit()).isEqualTo(QueryRequest.DEFAULT_LIMIT);
  }
}
