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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcReadExecutorTest {
  private static final CursorCodec CODEC = new CursorCodec(PlanFixtures.KEY);
  private static final ReadPlanner PLANNER = new ReadPlanner(CODEC);

  private static final List<Map<String, Object>> ROWS = List.of(
      SampleTable.row(1, "one", Long.MIN_VALUE, new BigDecimal("99999999999999999999.9999"), true,
          Instant.parse("1000-01-01T00:00:00Z"), LocalDate.of(1000, 1, 1)),
      SampleTable.row(2, "two", Long.MAX_VALUE, new BigDecimal("-0.0001"), false,
          Instant.parse("9999-12-31T23:59:59.999999Z"), LocalDate.of(9999, 12, 31)),
      SampleTable.row(3, null, null, null, null, null, null),
      SampleTable.row(4, "日本😀'\"\\", 0L, new BigDecimal("1.5"), true,
          Instant.parse("1969-12-31T23:59:59.999999Z"), LocalDate.of(2024, 2, 29)));

  private static ReadSpec plan(String body) {
    return PLANNER.plan(QueryRequest.parse(json(body), SampleTable.LENS), Optional.empty(), SampleTable.LENS, ENV);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void execute_readsEveryTypeExactly_withNulls(TestDatabase.Kind kind) {
    try (SampleTable t = SampleTable.create(kind)) {
      t.insert(ROWS);
      ReadResult r = new JdbcReadExecutor(t.dialect(), CODEC).execute(t.connection(), plan("{}"), SampleTable.LENS, ENV);
      assertThat(r.rows()).hasSize(ROWS.size());
      for (int i = 0; i < ROWS.size(); i++) {
        Map<String, Object> expected = ROWS.get(i);
        Map<String, Object> actual = r.rows().get(i);
        assertThat(actual.keySet()).containsExactlyElementsOf(SampleTable.LENS.fields().keySet());
        for (String f : expected.keySet()) {
          Object e = expected.get(f);
          Object a = actual.get(f);
          if (e instanceof BigDecimal) {
            assertThat((BigDecimal) a).as("%s %s", kind, f).isEqualByComparingTo((BigDecimal) e);
          } else {
            assertThat(a).as("%s row %d field %s", kind, i + 1, f).isEqualTo(e);
          }
        }
      }
      assertThat(r.nextCursor()).isEmpty();
    }
  }

  @Test
  void execute_shapesRowsToSelectedFields_inDeclarationOrder() {
    try (SampleTable t = SampleTable.create(TestDatabase.Kind.H2)) {
      t.insert(ROWS);
      ReadResult r = new JdbcReadExecutor(SQLDialect.H2, CODEC).execute(t.connection(),
          plan("{\"select\":[\"price\",\"label\"],\"orderBy\":{\"field\":\"qty\",\"dir\":\"desc\"},\"limit\":2}"),
          SampleTable.LENS, ENV);
      assertThat(r.rows()).hasSize(2);
      assertThat(r.rows().get(0).keySet()).containsExactly("label", "price");
      // NULL sorts as the largest value: first when descending.
      assertThat(r.rows().get(0).get("label")).isNull();
      assertThat(r.rows().get(1).get("label")).isEqualTo("two");
      assertThat(r.nextCursor()).isPresent();
      assertThatThrownBy(() -> r.rows().get(0).put("id", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void execute_nextCursor_presentIffMoreRows() {
    try (SampleTable t = SampleTable.create(TestDatabase.Kind.H2)) {
      t.insert(ROWS);
      JdbcReadExecutor ex = new JdbcReadExecutor(SQLDialect.H2, CODEC);
      assertThat(ex.execute(t.connection(), plan("{\"limit\":4}"), SampleTable.LENS, ENV).nextCursor()).isEmpty();
      ReadResult first = ex.execute(t.connection(), plan("{\"limit\":3}"), SampleTable.LENS, ENV);
      assertThat(first.nextCursor()).isPresent();
      ReadResult second = ex.execute(t.connection(),
          plan("{\"limit\":3,\"cursor\":\"" + first.nextCursor().get() + "\"}"), SampleTable.LENS, ENV);
      assertThat(SampleTable.ids(second.rows())).containsExactly(4L);
      assertThat(second.nextCursor()).isEmpty();
      ReadResult offset = ex.execute(t.connection(), plan("{\"limit\":3,\"offset\":3}"), SampleTable.LENS, ENV);
      assertThat(SampleTable.ids(offset.rows())).containsExactly(4L);
    }
  }

  @Test
  void fetch_withoutCodec_returnsRawPosition_andExecuteIsRefused() {
    try (SampleTable t = SampleTable.create(TestDatabase.Kind.H2)) {
      t.insert(ROWS);
      JdbcReadExecutor runnerSide = new JdbcReadExecutor(SQLDialect.H2);
      ReadSpec spec = plan("{\"limit\":1,\"select\":[\"label\"],\"orderBy\":{\"field\":\"qty\"}}");
      ReadPage page = runnerSide.fetch(t.connection(), spec, SampleTable.LENS);
      assertThat(page.rows()).containsExactly(Map.of("label", "one"));
      assertThat(page.next()).contains(new KeysetPosition(List.of(Long.MIN_VALUE, 1L)));
      ReadResult signed = PLANNER.complete(spec, page, ENV);
      assertThat(CODEC.decode(signed.nextCursor().orElseThrow(), ENV, spec, SampleTable.LENS))
          .isEqualTo(page.next().get());
      assertThatThrownBy(() -> runnerSide.execute(t.connection(), spec, SampleTable.LENS, ENV))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void fetch_specForAnotherLens_isInvalidRequest() {
    try (SampleTable t = SampleTable.create(TestDatabase.Kind.H2)) {
      LensSchema other = new LensSchema("other", null, "Items", "id", new ArrayList<>(SampleTable.LENS.fields().values()));
      assertThatThrownBy(() -> new JdbcReadExecutor(SQLDialect.H2).fetch(t.connection(), plan("{}"), other))
          .isInstanceOf(LensgateException.class)
          .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void fetch_whenTheSourceFails_isSourceUnreachable_withAFixedMessage(TestDatabase.Kind kind) {
    try (SampleTable t = SampleTable.create(kind)) {
      LensSchema missing = new LensSchema("items", null, "NoSuchTable", "id", new ArrayList<>(SampleTable.LENS.fields().values()));
      ReadSpec spec = PLANNER.plan(QueryRequest.parse(json("{\"where\":{\"label\":\"s3cr3t\"}}"), missing),
          Optional.empty(), missing, ENV);
      assertThatThrownBy(() -> new JdbcReadExecutor(t.dialect()).fetch(t.connection(), spec, missing))
          .isInstanceOf(LensgateException.class)
          .hasMessage("the source query failed")
          .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE))
          .hasCauseInstanceOf(java.sql.SQLException.class);
    }
  }

  @Test
  void fetch_slowerThanTheQueryTimeout_isUpstreamTimeout() {
    try (SampleTable t = SampleTable.create(TestDatabase.Kind.POSTGRES)) {
      t.insert(ROWS);
      t.database().execute("CREATE VIEW \"SlowItems\" AS SELECT i.* FROM \"Items\" i, pg_sleep(5) s");
      LensSchema slow = new LensSchema("items", null, "SlowItems", "id", new ArrayList<>(SampleTable.LENS.fields().values()));
      ReadSpec spec = PLANNER.plan(QueryRequest.parse(json("{}"), slow), Optional.empty(), slow, ENV);
      JdbcReadExecutor ex = new JdbcReadExecutor(SQLDialect.POSTGRES, CODEC, Duration.ofSeconds(1));
      assertThatThrownBy(() -> ex.fetch(t.connection(), spec, slow))
          .isInstanceOf(LensgateException.class)
          .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT));
    }
  }

  @Test
  void constructor_rejectsUnsupportedDialectsAndTimeouts() {
    assertThatThrownBy(() -> new JdbcReadExecutor(SQLDialect.SQLITE)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JdbcReadExecutor(SQLDialect.H2, CODEC, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JdbcReadExecutor(SQLDialect.H2, CODEC, Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
  }
}
