package dev.lensgate.core.runner;

import static dev.lensgate.core.runner.RunnerFrames.LENS;
import static dev.lensgate.core.runner.RunnerFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.KeysetPosition;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobPagesTest {
  private static final ReadSpec SPEC = ReadSpec.fromJson(json(
      "{\"lens\":\"items\",\"where\":{},\"orderBy\":[{\"field\":\"created\",\"dir\":\"desc\"},{\"field\":\"id\",\"dir\":\"asc\"}],"
          + "\"limit\":2,\"offset\":0,\"select\":[\"id\",\"name\",\"price\",\"created\"]}"), LENS);

  @Test
  void toResultThenToPage_typedValuesAndPosition_roundTrip() throws Exception {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", 7L);
    row.put("name", "caf\u00e9");
    row.put("price", new BigDecimal("12.50"));
    row.put("created", Instant.parse("2024-05-01T10:00:00.123Z"));
    Map<String, Object> nulls = new LinkedHashMap<>();
    nulls.put("id", 8L);
    nulls.put("name", null);
    ReadPage page = new ReadPage(List.of(row, nulls),
        Optional.of(new KeysetPosition(Arrays.asList(null, 8L))));

    RunnerFrame.Result result = JobPages.toResult("j1", page, 3);
    RunnerFrameCodec codec = RunnerFrameCodec.withDefaults();
    RunnerFrame.Result wire = (RunnerFrame.Result) codec.decode(codec.encode(result));
    ReadPage back = JobPages.toPage(wire.rows(), wire.next(), SPEC, LENS);

    assertThat(result.done()).isTrue();
    assertThat(result.rowCount()).isEqualTo(2);
    assertThat(back.rows()).containsExactly(row, nulls);
    assertThat(back.next()).contains(new KeysetPosition(Arrays.asList(null, 8L)));
  }

  @Test
  void toPage_fieldNotSelectedOrUndeclared_isRefused() {
    assertThatThrownBy(() -> JobPages.toPage(List.of(json("{\"id\":1,\"active\":true}")), Optional.empty(), SPEC, LENS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobPages.toPage(List.of(json("{\"id\":1,\"password\":\"x\"}")), Optional.empty(), SPEC, LENS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toPage_wrongValueTypes_areRefused() {
    for (String row : List.of("{\"id\":\"1\"}", "{\"id\":1.5}", "{\"name\":3}", "{\"price\":\"1\"}",
        "{\"created\":\"yesterday\"}", "{\"created\":5}")) {
      assertThatThrownBy(() -> JobPages.toPage(List.of(json(row)), Optional.empty(), SPEC, LENS))
          .as(row).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void toPage_moreRowsThanLimitOrBadPosition_isRefused() {
    List<com.fasterxml.jackson.databind.JsonNode> three = List.of(json("{\"id\":1}"), json("{\"id\":2}"), json("{\"id\":3}"));
    assertThatThrownBy(() -> JobPages.toPage(three, Optional.empty(), SPEC, LENS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobPages.toPage(List.of(), Optional.of(json("[\"1\"]")), SPEC, LENS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobPages.toPage(List.of(), Optional.of(json("[\"x\",\"1\"]")), SPEC, LENS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobPages.toPage(List.of(), Optional.of(json("[null,1]")), SPEC, LENS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lensMapping_ofThenToSchema_roundTripsAndRevalidates() {
    LensSchema back = LensMapping.of(LENS).toSchema();
    assertThat(back.name()).isEqualTo("items");
    assertThat(back.schema()).contains("shop");
    assertThat(back.fields()).isEqualTo(LENS.fields());
    LensMapping badColumn = new LensMapping("items", Optional.empty(), "Items", "id",
        List.of(new LensMapping.Field("id", "id; drop", "integer")));
    assertThatThrownBy(badColumn::toSchema).isInstanceOf(IllegalArgumentException.class);
    LensMapping badType = new LensMapping("items", Optional.empty(), "Items", "id",
        List.of(new LensMapping.Field("id", "id", "INT")));
    assertThatThrownBy(badType::toSchema).isInstanceOf(IllegalArgumentException.class);
    LensMapping badName = new LensMapping("it-ems", Optional.empty(), "Items", "id",
        List.of(new LensMapping.Field("id", "id", "integer")));
    assertThatThrownBy(badName::toSchema).isInstanceOf(IllegalArgumentException.class);
    LensMapping noPk = new LensMapping("items", Optional.empty(), "Items", "pk",
        List.of(new LensField("id", "id", FieldType.INTEGER)).stream()
            .map(f -> new LensMapping.Field(f.name(), f.column(), f.type().wireName())).toList());
    assertThatThrownBy(noPk::toSchema).isInstanceOf(IllegalArgumentException.class);
  }
}
