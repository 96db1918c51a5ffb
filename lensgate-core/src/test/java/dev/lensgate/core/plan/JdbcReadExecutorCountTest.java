package dev.lensgate.core.plan;

import static dev.lensgate.core.plan.PlanFixtures.ENV;
import static dev.lensgate.core.plan.PlanFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link JdbcReadExecutor#count}: the rows a read of the same filter returns, on every database. */
class JdbcReadExecutorCountTest {
  private static final ReadPlanner PLANNER = new ReadPlanner(new CursorCodec(PlanFixtures.KEY));
  private static final List<String> WHERES = List.of("{}", "{\"id\":{\"$gt\":2}}", "{\"label\":null}",
      "{\"label\":{\"$startsWith\":\"t\"}}", "{\"$or\":[{\"qty\":{\"$lt\":0}},{\"active\":true}]}",
      "{\"$not\":{\"price\":{\"$gte\":1}}}", "{\"id\":{\"$in\":[]}}", "{\"day\":{\"$exists\":false}}");

  private static List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      rows.add(SampleTable.row(i, i % 3 == 0 ? null : (i % 2 == 0 ? "two" : "one") + i, (long) (i - 5),
          new BigDecimal(i + ".25"), i % 2 == 0, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i),
          i % 4 == 0 ? null : LocalDate.of(2024, 1, i)));
    }
    return rows;
  }

  private static ReadSpec plan(String where, int limit) {
    return PLANNER.plan(QueryRequest.parse(json("{\"where\":" + where + ",\"limit\":" + limit + "}"), SampleTable.LENS),
        Optional.empty(), SampleTable.LENS, ENV);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void count_sameFilterAsARead_equalsTheRowsItReturnsIgnoringLimit(TestDatabase.Kind kind) {
    try (SampleTable t = SampleTable.create(kind)) {
      t.insert(rows());
      JdbcReadExecutor ex = new JdbcReadExecutor(t.dialect());
      List<Long> counts = new ArrayList<>();
      for (String where : WHERES) {
        long read = ex.fetch(t.connection(), plan(where, 1000), SampleTable.LENS).rows().size();
        long count = ex.count(t.connection(), plan(where, 1), SampleTable.LENS);
        assertThat(count).as("%s count of %s", kind, where).isEqualTo(read);
        counts.add(count);
      }
      assertThat(counts).contains(9L, 0L).anyMatch(n -> n > 0 && n < 9);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void count_withTimeoutAndHook_hookSeesTheStatement(TestDatabase.Kind kind) {
    try (SampleTable t = SampleTable.create(kind)) {
      t.insert(rows());
      List<Statement> seen = new ArrayList<>();
      long n = new JdbcReadExecutor(t.dialect()).count(t.connection(), plan("{\"id\":{\"$lte\":4}}", 5), SampleTable.LENS,
          Duration.ofSeconds(5), seen::add);
      assertThat(n).isEqualTo(4);
      assertThat(seen).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void count_missingTable_sourceUnreachableWithFixedMessage(TestDatabase.Kind kind) {
    try (SampleTable t = SampleTable.create(kind)) {
      LensSchema missing = new LensSchema("items", null, "NoSuchTable", "id",
          List.copyOf(SampleTable.LENS.fields().values()));
      assertThatThrownBy(() -> new JdbcReadExecutor(t.dialect()).count(t.connection(), plan("{}", 5), missing))
          .isInstanceOf(LensgateException.class)
          .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE))
          .hasMessage("the source query failed");
    }
  }
}
