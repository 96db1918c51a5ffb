package dev.lensgate.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filter.CompareOp;
import dev.lensgate.core.where.Filter.TextOp;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.core.where.SqlFilterCompiler;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.lucene.search.Query;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each operator on a fixed set of rows of the sample lens: the expected ids are spelled out, and
 * the in-memory predicate must agree with them too (so a wrong expectation cannot hide a bug).
 */
class LuceneFilterCompilerTest {
  private static final LensSchema LENS = SampleTable.LENS;
  private static final Instant T1 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2025-06-01T10:00:00.5Z");
  private static final LocalDate D1 = LocalDate.of(2024, 1, 1);
  private static final String LONG_Z = "z".repeat(40_000);
  private static final String LONE = "\uD800x";
  private static final List<Map<String, Object>> ROWS = new ArrayList<>();
  private static IndexedRows index;

  @BeforeAll
  static void indexRows() {
    add(1, "apple", 5L, "1.50", true, T1, D1);
    add(2, "Apple", -5L, "2", false, T2, D1.plusDays(1));
    add(3, "APPLE pie", Long.MAX_VALUE, "-0.5", true, Instant.MAX, LocalDate.MAX);
    add(4, null, null, null, null, null, null);
    Map<String, Object> missing = new LinkedHashMap<>();
    missing.put("id", 5L);
    ROWS.add(missing);
    add(6, "ápple", Long.MIN_VALUE, "1E+3", false, T1.plusNanos(1), LocalDate.MIN);
    add(7, "😀", 0L, "0", null, Instant.MIN, D1.minusDays(1));
    add(8, "\uE000", null, null, null, null, null);
    add(9, "", null, null, null, null, null);
    add(10, "100%_sure\\", null, null, null, null, null);
    add(11, LONG_Z, null, null, null, null, null);
    add(12, LONE, null, null, null, null, null);
    index = new IndexedRows(LENS, ROWS, new Random(7));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  private static void add(long id, String label, Long qty, String price, Boolean active, Instant seenAt, LocalDate day) {
    ROWS.add(SampleTable.row(id, label, qty, price == null ? null : new BigDecimal(price), active, seenAt, day));
  }

  /** Asserts the index selects exactly {@code ids}, and that the in-memory predicate agrees. */
  private static void assertSelects(Filter f, Integer... ids) {
    Set<String> expected = new TreeSet<>();
    for (Integer id : ids) {
      expected.add(String.valueOf(id));
    }
    assertThat(IndexedRows.expectedIds(f, ROWS, "id")).as("in-memory, %s", f).isEqualTo(expected);
    assertThat(index.idsMatching(LuceneFilterCompiler.compile(f, LENS))).as("index, %s", f).isEqualTo(expected);
  }

  private static Filter cmp(String field, CompareOp op, Object v) {
    return Filters.compare(field, op, v);
  }

  @Test
  void eqAndNe_stringsAreExact_andNeverMatchNull() {
    assertSelects(Filters.eq("label", "apple"), 1);
    assertSelects(cmp("label", CompareOp.NE, "apple"), 2, 3, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(Filters.not(Filters.eq("label", "apple")), 2, 3, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(Filters.not(cmp("label", CompareOp.NE, "apple")), 1);
    assertSelects(Filters.eq("label", ""), 9);
  }

  @Test
  void inAndNin_nullsAndEmptyLists() {
    assertSelects(new Filter.In("label", List.of("apple", "Apple", "nope"), false), 1, 2);
    assertSelects(new Filter.In("label", List.of("apple", "Apple"), true), 3, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(new Filter.In("label", List.of(), false));
    assertSelects(new Filter.In("label", List.of(), true), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(Filters.not(new Filter.In("label", List.of(), true)));
    assertSelects(Filters.not(new Filter.In("qty", List.of(5L, 0L), false)), 2, 3, 6);
    assertSelects(new Filter.In("price", List.of(new BigDecimal("2.0"), new BigDecimal("0.00")), false), 2, 7);
    assertSelects(new Filter.In("seenAt", List.of(T1, Instant.MAX), false), 1, 3);
    assertSelects(new Filter.In("day", List.of(LocalDate.MIN, D1), true), 2, 3, 7);
    assertSelects(new Filter.In("active", List.of(true), true), 2, 6);
  }

  @Test
  void stringOrder_isCodePointOrder_notUtf16() {
    // U+1F600 sorts after U+E000 by code point, before it by UTF-16 unit.
    assertSelects(cmp("label", CompareOp.GT, "\uE000"), 7);
    assertSelects(cmp("label", CompareOp.GTE, "\uE000"), 7, 8);
    assertSelects(cmp("label", CompareOp.LT, "B"), 2, 3, 9, 10);
    assertSelects(cmp("label", CompareOp.GT, "y"), 6, 7, 8, 11, 12);
    assertSelects(cmp("label", CompareOp.LTE, ""), 9);
    assertSelects(Filters.not(cmp("label", CompareOp.GT, "y")), 1, 2, 3, 9, 10);
  }

  @Test
  void likeAndIlike_wildcardsEscapesAndAsciiOnlyFolding() {
    assertSelects(new Filter.Like("label", "%pp%", false), 1, 2, 6);
    assertSelects(new Filter.Like("label", "%PP%", true), 1, 2, 3, 6);
    assertSelects(new Filter.Like("label", "ÁPPLE", true));
    assertSelects(new Filter.Like("label", "ápple", true), 6);
    assertSelects(new Filter.Like("label", "APPLE", true), 1, 2);
    assertSelects(new Filter.Like("label", "100\\%\\_sure\\\\", false), 10);
    assertSelects(new Filter.Like("label", "100%", false), 10);
    assertSelects(new Filter.Like("label", "_", false), 7, 8);
    assertSelects(new Filter.Like("label", "__", false), 12);
    assertSelects(new Filter.Like("label", "", false), 9);
    assertSelects(new Filter.Like("label", "%", false), 1, 2, 3, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(Filters.not(new Filter.Like("label", "%p%", true)), 7, 8, 9, 10, 11, 12);
  }

  @Test
  void textOperators_areLiteralAndCaseSensitive() {
    assertSelects(new Filter.TextMatch("label", TextOp.CONTAINS, "%_"), 10);
    assertSelects(new Filter.TextMatch("label", TextOp.STARTS_WITH, "APP"), 3);
    assertSelects(new Filter.TextMatch("label", TextOp.ENDS_WITH, "pie"), 3);
    assertSelects(new Filter.TextMatch("label", TextOp.ENDS_WITH, "ple"), 1, 2, 6);
    assertSelects(new Filter.TextMatch("label", TextOp.CONTAINS, ""), 1, 2, 3, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(Filters.not(new Filter.TextMatch("label", TextOp.CONTAINS, "p")), 7, 8, 9, 10, 11, 12);
  }

  @Test
  void stringsThatCannotBeTerms_areMatchedExactly() {
    assertSelects(Filters.eq("label", LONG_Z), 11);
    assertSelects(cmp("label", CompareOp.NE, LONG_Z), 1, 2, 3, 6, 7, 8, 9, 10, 12);
    assertSelects(new Filter.TextMatch("label", TextOp.STARTS_WITH, "zzz"), 11);
    assertSelects(new Filter.Like("label", "%Z", true), 11);
    assertSelects(Filters.eq("label", LONE), 12);
    assertSelects(new Filter.Like("label", "\uD800%", false), 12);
    assertSelects(new Filter.In("label", List.of(LONE, LONG_Z, "apple"), false), 1, 11, 12);
    // A bound with an unpaired surrogate: every distinct value is compared by code point.
    assertSelects(cmp("label", CompareOp.LT, "\uD801"), 1, 2, 3, 6, 9, 10, 11, 12);
    assertSelects(cmp("label", CompareOp.GT, "\uD800"), 7, 8, 12);
  }

  @Test
  void longBoundsAndPatterns_beyondLucenesAutomatonDepth_stillMatchExactly() {
    String z2000 = "z".repeat(2_000);
    assertSelects(cmp("label", CompareOp.GT, z2000), 6, 7, 8, 11, 12);
    assertSelects(cmp("label", CompareOp.LT, z2000), 1, 2, 3, 9, 10);
    assertSelects(Filters.not(cmp("label", CompareOp.GTE, "日".repeat(1_000))), 1, 2, 3, 6, 9, 10, 11);
    assertSelects(new Filter.TextMatch("label", TextOp.STARTS_WITH, z2000), 11);
    assertSelects(new Filter.TextMatch("label", TextOp.CONTAINS, z2000), 11);
    assertSelects(new Filter.TextMatch("label", TextOp.ENDS_WITH, "Z".repeat(300)));
    assertSelects(new Filter.Like("label", "Z".repeat(300) + "%", true), 11);
    assertSelects(new Filter.Like("label", "z".repeat(199) + "%", false), 11);
    assertSelects(new Filter.Like("label", "_".repeat(40_000), false), 11);
    assertSelects(Filters.eq("label", "日".repeat(4_000)));
  }

  @Test
  void patternTooComplexToDeterminize_fallsBackToTestingEachValue() {
    Filter f = new Filter.Like("label", "%z" + "_".repeat(20) + "%", false);
    Query q = LuceneFilterCompiler.compile(f, LENS);
    assertThat(q.toString()).contains("scan");
    assertSelects(f, 11);
    assertSelects(new Filter.Like("label", "%P" + "_".repeat(20) + "%", true));
    assertSelects(new Filter.Like("label", "%p" + "_".repeat(2) + "%", true), 1, 2, 3, 6);
  }

  @Test
  void numbers_compareNumericallyWhateverTheScale() {
    assertSelects(Filters.eq("price", new BigDecimal("1.5")), 1);
    assertSelects(Filters.eq("price", new BigDecimal("1000.000")), 6);
    assertSelects(cmp("price", CompareOp.GT, new BigDecimal("1.5")), 2, 6);
    assertSelects(cmp("price", CompareOp.GTE, new BigDecimal("1E+3")), 6);
    assertSelects(cmp("price", CompareOp.LT, BigDecimal.ZERO), 3);
    assertSelects(cmp("price", CompareOp.LTE, new BigDecimal("0.0")), 3, 7);
    assertSelects(cmp("price", CompareOp.NE, new BigDecimal("2.00")), 1, 3, 6, 7);
  }

  @Test
  void integers_boundsAtTheEndsOfTheRange() {
    assertSelects(cmp("qty", CompareOp.GT, Long.MAX_VALUE));
    assertSelects(cmp("qty", CompareOp.GTE, Long.MAX_VALUE), 3);
    assertSelects(cmp("qty", CompareOp.LT, Long.MIN_VALUE));
    assertSelects(cmp("qty", CompareOp.LTE, Long.MIN_VALUE), 6);
    assertSelects(cmp("qty", CompareOp.NE, 0L), 1, 2, 3, 6);
    assertSelects(Filters.not(cmp("qty", CompareOp.LT, 0L)), 1, 3, 7);
  }

  @Test
  void booleans_falseBeforeTrue() {
    assertSelects(Filters.eq("active", true), 1, 3);
    assertSelects(cmp("active", CompareOp.NE, true), 2, 6);
    assertSelects(cmp("active", CompareOp.GT, false), 1, 3);
    assertSelects(cmp("active", CompareOp.LT, true), 2, 6);
    assertSelects(cmp("active", CompareOp.GTE, false), 1, 2, 3, 6);
  }

  @Test
  void timestampsAndDates_toTheNanosecond_andAtTheEnds() {
    assertSelects(Filters.eq("seenAt", T1), 1);
    assertSelects(cmp("seenAt", CompareOp.GT, T1), 2, 3, 6);
    assertSelects(cmp("seenAt", CompareOp.LT, T1.plusNanos(1)), 1, 7);
    assertSelects(cmp("seenAt", CompareOp.GT, Instant.MAX));
    assertSelects(cmp("seenAt", CompareOp.GTE, Instant.MAX), 3);
    assertSelects(cmp("seenAt", CompareOp.LT, Instant.MIN));
    assertSelects(cmp("seenAt", CompareOp.LTE, Instant.MIN), 7);
    assertSelects(cmp("day", CompareOp.GT, D1), 2, 3);
    assertSelects(cmp("day", CompareOp.LT, D1), 6, 7);
    assertSelects(cmp("day", CompareOp.GT, LocalDate.MAX));
    assertSelects(cmp("day", CompareOp.LTE, LocalDate.MIN), 6);
  }

  @Test
  void exists_andThreeValuedLogic() {
    assertSelects(Filters.isNotNull("qty"), 1, 2, 3, 6, 7);
    assertSelects(Filters.isNull("qty"), 4, 5, 8, 9, 10, 11, 12);
    assertSelects(Filters.not(Filters.isNull("qty")), 1, 2, 3, 6, 7);
    // Row 4/5: qty NULL → UNKNOWN; OR with TRUE is TRUE, AND with FALSE is FALSE, NOT UNKNOWN stays out.
    assertSelects(Filters.or(cmp("qty", CompareOp.GT, 0L), Filters.isNull("label")), 1, 3, 4, 5);
    assertSelects(Filters.not(Filters.and(cmp("qty", CompareOp.GT, 0L), Filters.isNotNull("label"))), 2, 4, 5, 6, 7);
    assertSelects(Filters.not(Filters.or(cmp("qty", CompareOp.GT, 0L), Filters.eq("label", "x"))), 2, 6, 7);
    assertSelects(new Filter.MatchAll(), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertSelects(new Filter.MatchNone());
    assertSelects(Filters.not(new Filter.MatchAll()));
    assertSelects(Filters.not(Filters.not(Filters.eq("label", "apple"))), 1);
  }

  @Test
  void unknownField_isUnknownFieldError_likeTheSqlCompiler() {
    List<Filter> filters = List.of(
        Filters.eq("nope", "x"),
        cmp("nope", CompareOp.GT, 1L),
        new Filter.In("nope", List.of("x"), true),
        new Filter.Like("nope", "%", true),
        new Filter.TextMatch("nope", TextOp.CONTAINS, "x"),
        Filters.isNull("nope"),
        Filters.not(Filters.and(Filters.eq("label", "a"), Filters.eq("nope", "x"))));
    for (Filter f : filters) {
      for (Function<Filter, Object> compiler : compilers()) {
        assertThatThrownBy(() -> compiler.apply(f)).as(f.toString())
            .isInstanceOf(LensgateException.class)
            .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.UNKNOWN_FIELD));
      }
    }
    // An empty list is a constant in every compiler, whatever the field.
    for (Function<Filter, Object> compiler : compilers()) {
      assertThat(compiler.apply(new Filter.In("nope", List.of(), false))).isNotNull();
    }
  }

  @Test
  void wrongValueTypes_andPatternsOnNonStrings_areRejected_likeTheSqlCompiler() {
    List<Filter> filters = List.of(
        Filters.eq("qty", "1"),
        Filters.eq("price", 1L),
        Filters.eq("seenAt", "2024-01-01T00:00:00Z"),
        Filters.eq("day", T1),
        new Filter.In("label", List.of(1L), false),
        new Filter.In("active", List.of(true, "false"), true),
        new Filter.Like("qty", "1", false),
        new Filter.TextMatch("price", TextOp.STARTS_WITH, "1"));
    for (Filter f : filters) {
      for (Function<Filter, Object> compiler : compilers()) {
        assertThatThrownBy(() -> compiler.apply(f)).as(f.toString()).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  private static List<Function<Filter, Object>> compilers() {
    return Arrays.asList(
        f -> LuceneFilterCompiler.compile(f, LENS),
        f -> SqlFilterCompiler.compile(f, LENS, SQLDialect.H2));
  }
}
