package dev.lensgate.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.RandomData;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.core.where.WhereParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The index half of the where security property: for random where trees over random rows, the
 * compiled Lucene query matches exactly the ids {@link dev.lensgate.core.where.InMemoryPredicate}
 * selects (which {@code WhereEquivalenceProperties} proves equal to SQL on PostgreSQL, MariaDB and
 * H2). Two generators: the SQL property's own (parsed {@code where} JSON over the sample lens,
 * with supplementary characters), and {@link RandomFilters} (random lens schemas, trees built
 * directly as ASTs so values the parser would refuse — unpaired surrogates, 20,000-char strings,
 * extreme instants and decimals — are covered too).
 */
class LuceneWhereEquivalenceProperties {

  @Property(tries = 300)
  void sharedGenerator_indexMatchesInMemory(@ForAll long seed) {
    RandomData data = new RandomData(seed, seed % 2 == 0 ? RandomData.WIDE_ALPHABET : RandomData.BMP_ALPHABET);
    List<Map<String, Object>> rows = data.rows(24);
    ObjectNode where = data.where(3);
    Filter filter = WhereParser.parse(where, SampleTable.LENS);
    check(SampleTable.LENS, rows, filter, data.random(), "where=" + where);
  }

  @Property(tries = 500)
  void randomSchemasAndTrees_indexMatchesInMemory(@ForAll long seed) {
    RandomFilters gen = new RandomFilters(seed);
    LensSchema lens = gen.schema();
    List<Map<String, Object>> rows = gen.rows(lens, 30);
    Filter filter = gen.filter(lens, 4);
    check(lens, rows, filter, gen.random(), "filter=" + filter);
  }

  private static void check(LensSchema lens, List<Map<String, Object>> rows, Filter filter,
      java.util.Random random, String description) {
    Set<String> expected = IndexedRows.expectedIds(filter, rows, lens.primaryKey());
    Statistics.label("selected").collect(
        expected.isEmpty() ? "none" : expected.size() == rows.size() ? "all" : "some");
    try (IndexedRows index = new IndexedRows(lens, rows, random)) {
      Set<String> actual = index.idsMatching(LuceneFilterCompiler.compile(filter, lens));
      assertThat(actual)
          .as("index selects the in-memory ids for %s rows=%s", description, rows)
          .isEqualTo(expected);
    }
  }
}
