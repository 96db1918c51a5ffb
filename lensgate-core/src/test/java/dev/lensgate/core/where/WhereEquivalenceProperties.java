package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * The security property of the where language: for random where trees (every operator, nesting,
 * NULLs, quotes, wildcards as data, case variants, unicode) over random rows with NULLs, the SQL
 * compiler on PostgreSQL, MariaDB and H2 and the in-memory predicate select exactly the same ids.
 * String columns carry case-insensitive collations, so any non-exact comparison shows up as a
 * difference.
 */
class WhereEquivalenceProperties {
  private static final List<SampleTable> TABLES = new ArrayList<>();

  @BeforeContainer
  static void createTables() {
    for (TestDatabase.Kind kind : TestDatabase.Kind.values()) {
      TABLES.add(SampleTable.create(kind));
    }
  }

  @AfterContainer
  static void dropTables() {
    TABLES.forEach(SampleTable::close);
    TABLES.clear();
  }

  @Property(tries = 300)
  void sqlOnEveryDatabase_andInMemory_selectTheSameRows(@ForAll long seed) {
    check(seed, RandomData.BMP_ALPHABET, TABLES);
  }

  /**
   * Outside the BMP H2 counts UTF-16 units (documented limit), so supplementary characters and
   * U+E000–U+FFFF are checked on PostgreSQL and MariaDB only.
   */
  @Property(tries = 100)
  void supplementaryCharacters_onPostgresAndMariaDb_matchInMemory(@ForAll long seed) {
    List<SampleTable> codePointDbs = new ArrayList<>();
    for (SampleTable t : TABLES) {
      if (t.kind() != TestDatabase.Kind.H2) {
        codePointDbs.add(t);
      }
    }
    check(seed, RandomData.WIDE_ALPHABET, codePointDbs);
  }

  private static void check(long seed, String[] alphabet, List<SampleTable> tables) {
    RandomData data = new RandomData(seed, alphabet);
    List<Map<String, Object>> rows = data.rows(24);
    ObjectNode where = data.where(3);
    Filter filter = WhereParser.parse(where, SampleTable.LENS);

    Set<Long> expected = new TreeSet<>();
    for (Map<String, Object> row : rows) {
      if (InMemoryPredicate.test(filter, row)) {
        expected.add((Long) row.get("id"));
      }
    }
    Statistics.label("selected").collect(
        expected.isEmpty() ? "none" : expected.size() == rows.size() ? "all" : "some");

    for (SampleTable table : tables) {
      table.replaceRows(rows);
      Set<Long> actual = selectIds(table, filter);
      assertThat(actual)
          .as("%s selects the in-memory ids for where=%s rows=%s", table.kind(), where, rows)
          .isEqualTo(expected);
    }
  }

  static Set<Long> selectIds(SampleTable table, Filter filter) {
    SqlColumns cols = SqlColumns.of(SampleTable.LENS, table.dialect());
    Condition c = SqlFilterCompiler.compile(filter, cols);
    RenderedQuery q = RenderedQuery.render(DSL.select(cols.column("id")).from(cols.table()).where(c), table.dialect());
    Set<Long> out = new TreeSet<>();
    try (PreparedStatement ps = q.prepare(table.connection()); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(table.kind() + " rejected the compiled filter", e);
    }
    return out;
  }
}
