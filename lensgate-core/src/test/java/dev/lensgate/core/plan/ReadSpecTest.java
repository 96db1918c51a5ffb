package dev.lensgate.core.plan;

import static dev.lensgate.core.plan.PlanFixtures.ENV;
import static dev.lensgate.core.plan.PlanFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.core.where.WhereParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadSpecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ReadPlanner PLANNER = new ReadPlanner(new CursorCodec(PlanFixtures.KEY));
  private static final Filter RULE = WhereParser.parse(json("{\"label\":{\"$in\":[\"acme\",\"ACME\"]}}"), SampleTable.LENS);

  private static ReadSpec plan(String body, Optional<Filter> rule) {
    return PLANNER.plan(QueryRequest.parse(json(body), SampleTable.LENS), rule, SampleTable.LENS, ENV);
  }

  private static ReadSpec richSpec() {
    ReadSpec spec = plan("{\"where\":{\"$or\":[{\"price\":{\"$gte\":\"1.50\"}},{\"seenAt\":{\"$lt\":\"2024-02-29T12:00:00.000001Z\"}},"
        + "{\"day\":\"2024-02-29\"},{\"active\":true},{\"label\":{\"$like\":\"a\\\\%_%\"}},{\"qty\":{\"$nin\":[1,null]}}]},"
        + "\"orderBy\":[{\"field\":\"price\",\"dir\":\"desc\"},{\"field\":\"seenAt\"},{\"field\":\"day\"},{\"field\":\"label\"}],"
        + "\"limit\":7,\"select\":[\"qty\",\"label\"]}", Optional.of(RULE));
    return spec.withAfter(new KeysetPosition(Arrays.asList(new BigDecimal("12.3400"), null,
        LocalDate.of(1000, 1, 1), "a\"'\\日😀", 5L)));
  }

  @Test
  void jacksonRoundTrip_givesAnEqualSpec() throws Exception {
    ReadSpec spec = richSpec();
    String wire = MAPPER.writeValueAsString(spec);
    ReadSpec back = ReadSpec.fromJson(MAPPER.readTree(wire), SampleTable.LENS);
    assertThat(back).isEqualTo(spec);
    assertThat(back.queryFingerprint()).isEqualTo(spec.queryFingerprint());
    assertThat(MAPPER.writeValueAsString(back)).isEqualTo(wire);
  }

  @Test
  void toJson_hasTheDocumentedShape_andNoSql() throws Exception {
    JsonNode j = MAPPER.readTree(MAPPER.writeValueAsString(richSpec()));
    List<String> keys = new java.util.ArrayList<>();
    j.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("lens", "where", "orderBy", "limit", "offset", "after", "select");
    assertThat(j.get("lens").asText()).isEqualTo("items");
    assertThat(j.get("orderBy").get(4)).isEqualTo(json("{\"field\":\"id\",\"dir\":\"asc\"}"));
    assertThat(j.get("after").get(0).asText()).isEqualTo("12.3400");
    assertThat(j.toString()).doesNotContainIgnoringCase("select ").doesNotContain("labelText");
  }

  @Test
  void plan_appendsPrimaryKey_onlyWhenMissing_andDefaultsSelectToAllFields() {
    ReadSpec a = plan("{\"orderBy\":{\"field\":\"qty\",\"dir\":\"desc\"}}", Optional.empty());
    assertThat(a.orderBy()).containsExactly(SortKey.desc("qty"), SortKey.asc("id"));
    assertThat(a.select()).containsExactly("id", "label", "qty", "price", "active", "seenAt", "day");
    ReadSpec b = plan("{\"orderBy\":[{\"field\":\"id\",\"dir\":\"desc\"},{\"field\":\"qty\"}]}", Optional.empty());
    assertThat(b.orderBy()).containsExactly(SortKey.desc("id"), SortKey.asc("qty"));
    assertThat(plan("{}", Optional.empty()).orderBy()).containsExactly(SortKey.asc("id"));
  }

  @Test
  void plan_andsTheRuleFilterInFrontOfTheClientFilter() {
    Filter client = WhereParser.parse(json("{\"qty\":1}"), SampleTable.LENS);
    assertThat(plan("{\"where\":{\"qty\":1}}", Optional.of(RULE)).filter()).isEqualTo(new Filter.And(List.of(RULE, client)));
    assertThat(plan("{}", Optional.of(RULE)).filter()).isEqualTo(RULE);
    assertThat(plan("{}", Optional.empty()).filter()).isEqualTo(Filters.matchAll());
    assertThat(plan("{\"offset\":3}", Optional.empty()).offset()).isEqualTo(3);
  }

  @Test
  void fromJson_forAnotherLens_isInvalidRequest() throws Exception {
    LensSchema other = new LensSchema("other", null, "Items", "id", List.copyOf(SampleTable.LENS.fields().values()));
    JsonNode wire = MAPPER.readTree(MAPPER.writeValueAsString(richSpec()));
    assertCode(() -> ReadSpec.fromJson(wire, other), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void fromJson_whenReceiverLensLacksAField_isUnknownField() throws Exception {
    LensSchema narrower = new LensSchema("items", null, "Items", "id", List.of(
        new LensField("id", "id", FieldType.INTEGER), new LensField("label", "labelText", FieldType.STRING),
        new LensField("qty", "qty", FieldType.INTEGER)));
    JsonNode wire = MAPPER.readTree(MAPPER.writeValueAsString(richSpec()));
    assertCode(() -> ReadSpec.fromJson(wire, narrower), ErrorCode.UNKNOWN_FIELD);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "lens=1", "where=[]", "where=\"1=1\"", "orderBy={}", "orderBy=[]", "orderBy=[{\"field\":\"qty\"}]",
      "orderBy=[{\"field\":\"id\"},{\"field\":\"id\"}]", "limit=0", "limit=1001", "limit=\"5\"", "offset=-1",
      "offset=5", "after=[1]", "after=[1,2,3,4,5]", "after=[\"x\",null,null,null,\"1\"]", "select=[]",
      "select=\"qty\"", "select=[1]", "select=[\"qty\",\"qty\"]", "extra=1", "where={\"qty\":\"abc\"}"})
  void fromJson_withOneBadPart_isRejected(String edit) throws Exception {
    ObjectNode wire = (ObjectNode) MAPPER.readTree(MAPPER.writeValueAsString(richSpec()));
    String key = edit.substring(0, edit.indexOf('='));
    wire.set(key, json(edit.substring(edit.indexOf('=') + 1)));
    assertCode(() -> ReadSpec.fromJson(wire, SampleTable.LENS), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void fromJson_notAnObject_isInvalidRequest() {
    assertCode(() -> ReadSpec.fromJson(json("[]"), SampleTable.LENS), ErrorCode.INVALID_REQUEST);
    assertCode(() -> ReadSpec.fromJson(null, SampleTable.LENS), ErrorCode.INVALID_REQUEST);
    assertCode(() -> ReadSpec.fromJson(json("{\"lens\":\"items\"}"), SampleTable.LENS), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void constructor_rejectsInconsistentSpecs() {
    List<SortKey> order = List.of(SortKey.asc("id"));
    assertThatThrownBy(() -> new ReadSpec("items", Filters.matchAll(), order, 0, 0, Optional.empty(), List.of("id")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReadSpec("items", Filters.matchAll(), List.of(), 1, 0, Optional.empty(), List.of("id")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReadSpec("items", Filters.matchAll(), order, 1, 1,
        Optional.of(new KeysetPosition(List.of(1L))), List.of("id"))).isInstanceOf(IllegalArgumentException.class);
    ReadSpec noPk = new ReadSpec("items", Filters.matchAll(), List.of(SortKey.asc("qty")), 1, 0, Optional.empty(), List.of("id"));
    assertCode(() -> noPk.validate(SampleTable.LENS), ErrorCode.INVALID_REQUEST);
    ReadSpec wrongType = new ReadSpec("items", Filters.matchAll(), order, 1, 0,
        Optional.of(new KeysetPosition(List.of(Instant.EPOCH))), List.of("id"));
    assertCode(() -> wrongType.validate(SampleTable.LENS), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void plan_withDuplicateSelectBuiltInCode_isInvalidRequest() {
    QueryRequest req = new QueryRequest(null, List.of(), 10, null, null, List.of("qty", "qty"));
    assertCode(() -> PLANNER.plan(req, Optional.empty(), SampleTable.LENS, ENV), ErrorCode.INVALID_REQUEST);
    QueryRequest unknown = new QueryRequest(null, List.of(SortKey.asc("nope")), 10, null, null, List.of());
    assertCode(() -> PLANNER.plan(unknown, Optional.empty(), SampleTable.LENS, ENV), ErrorCode.UNKNOWN_FIELD);
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOf(LensgateException.class)
        .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(code));
  }
}
