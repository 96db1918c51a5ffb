package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.util.List;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SqlFilterCompilerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3t-V4LUE'; DROP TABLE x; --";

  private static RenderedQuery render(String where, SQLDialect d) throws Exception {
    Filter f = WhereParser.parse(JSON.readTree(where), SampleTable.LENS);
    SqlColumns cols = SqlColumns.of(SampleTable.LENS, d);
    return RenderedQuery.render(DSL.selectOne().from(cols.table()).where(SqlFilterCompiler.compile(f, cols)), d);
  }

  @ParameterizedTest
  @EnumSource(value = SQLDialect.class, names = {"POSTGRES", "MARIADB", "H2"})
  void compile_bindsEveryValue_andQuotesEveryIdentifier(SQLDialect d) throws Exception {
    String w = "{\"label\":{\"$eq\":\"" + SECRET + "\",\"$like\":\"%" + SECRET + "\",\"$ilike\":\"" + SECRET
        + "\",\"$contains\":\"" + SECRET + "\",\"$in\":[\"" + SECRET + "\"]},\"qty\":{\"$gt\":987654321},"
        + "\"seenAt\":{\"$lt\":\"2024-01-01T00:00:00Z\"},\"price\":\"12345.678\"}";
    RenderedQuery q = render(w, d);
    assertThat(q.sql()).doesNotContain("s3cr3t", "987654321", "2024", "12345");
    assertThat(q.binds()).hasSizeGreaterThanOrEqualTo(8);
    String quote = d == SQLDialect.MARIADB ? "`" : "\"";
    assertThat(q.sql()).contains(quote + "labelText" + quote, quote + "Items" + quote, quote + "qty" + quote);
    assertThat(q.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void compile_stringsUseBinaryCollationsPerDialect() throws Exception {
    assertThat(render("{\"label\":\"a\"}", SQLDialect.POSTGRES).sql()).contains("collate \"C\"");
    assertThat(render("{\"label\":\"a\"}", SQLDialect.MARIADB).sql()).contains("COLLATE utf8mb4_nopad_bin");
    assertThat(render("{\"label\":\"a\"}", SQLDialect.H2).sql()).contains("cast(\"labelText\" as varchar)");
    assertThat(render("{\"qty\":1}", SQLDialect.POSTGRES).sql()).doesNotContain("collate");
    assertThat(render("{\"label\":{\"$like\":\"a\"}}", SQLDialect.MARIADB).sql()).contains("escape '!'");
  }

  @Test
  void compile_undeclaredField_isUnknownField() {
    assertThatThrownBy(() -> SqlFilterCompiler.compile(Filters.eq("nope", "x"), SampleTable.LENS, SQLDialect.H2))
        .isInstanceOf(LensgateException.class)
        .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.UNKNOWN_FIELD));
  }

  @Test
  void compile_valueOfWrongType_isRejected() {
    assertThatThrownBy(() -> SqlFilterCompiler.compile(Filters.eq("qty", "1"), SampleTable.LENS, SQLDialect.H2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlFilterCompiler.compile(new Filter.In("label", List.of(1L), false), SampleTable.LENS, SQLDialect.H2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlFilterCompiler.compile(new Filter.Like("qty", "1", false), SampleTable.LENS, SQLDialect.H2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(value = SQLDialect.class, names = {"SQLITE", "MYSQL", "DERBY", "DEFAULT"})
  void compile_unsupportedDialect_isRejected(SQLDialect d) {
    assertThatThrownBy(() -> SqlFilterCompiler.compile(Filters.matchAll(), SampleTable.LENS, d))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
