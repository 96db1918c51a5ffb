package dev.lensgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryPageTest {
  private static final QueryMeta LAST = new QueryMeta("orders", 1, null, 3);
  private static final QueryMeta MORE = new QueryMeta("orders", 1, "c1", 3);

  @Test
  void rows_areACopy_thatCannotBeChanged() {
    List<Row> source = new ArrayList<>(List.of(new Row(Map.of("id", 1L))));
    QueryResult page = new QueryResult(source, LAST, "r1");

    source.clear();

    assertThat(page.rows()).hasSize(1);
    assertThatThrownBy(() -> page.rows().add(new Row(Map.of()))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nextCursorAndRequestId_comeFromTheMetaAndTheCall() {
    assertThat(new QueryResult(List.of(), MORE, "r1").nextCursor()).contains("c1");
    assertThat(new QueryResult(List.of(), LAST, null).nextCursor()).isEmpty();
    assertThat(new TypedQueryResult<>(List.of("a"), MORE, "r2").requestId()).contains("r2");
    assertThat(new TypedQueryResult<>(List.of("a"), MORE, null).requestId()).isEmpty();
    assertThat(new TypedQueryResult<>(List.of("a"), MORE, null).meta()).isSameAs(MORE);
  }

  @Test
  void toString_namesThePageTypeAndCounts_butNoRowValues() {
    String plain = new QueryResult(List.of(new Row(Map.of("email", "ann@example.com"))), LAST, "r").toString();
    String typed = new TypedQueryResult<>(List.of("ann@example.com"), LAST, "r").toString();

    assertThat(plain).startsWith("QueryResult[rows=1, meta=").doesNotContain("ann@example.com");
    assertThat(typed).startsWith("TypedQueryResult[rows=1, meta=").doesNotContain("ann@example.com");
  }

  @Test
  void publicPageTypes_declareTheAccessorsThemselves_soReflectionNeedNotReachThePackagePrivateBase() throws Exception {
    for (Class<?> type : List.of(QueryResult.class, TypedQueryResult.class)) {
      for (String accessor : List.of("rows", "nextCursor", "meta", "requestId")) {
        assertThat(type.getMethod(accessor).getDeclaringClass()).as(type.getSimpleName() + "." + accessor)
            .isEqualTo(type);
      }
    }
  }
}
