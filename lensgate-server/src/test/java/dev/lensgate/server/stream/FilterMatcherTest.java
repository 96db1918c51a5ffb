package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.index.IndexFilters;
import dev.lensgate.server.index.IndexRecord;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.index.LensSearcher;
import dev.lensgate.server.index.StoredDocument;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterMatcherTest {
  @TempDir Path dir;

  private static Optional<Filter> parsed(String json) {
    return Optional.of(StreamFixtures.parse(json));
  }

  @Test
  void requiredEquality_comesFromTopLevelEqualities_ruleFirst() {
    assertThat(FilterMatcher.of(parsed("{\"orgId\": 3}"), parsed("{\"region\": \"eu\"}")).requiredEquality())
        .contains(Map.entry("orgId", 3L));
    assertThat(FilterMatcher.of(parsed("{\"price\": {\"$gt\": 1}}"), parsed("{\"region\": {\"$eq\": \"eu\"}}"))
        .requiredEquality()).contains(Map.entry("region", "eu"));
    assertThat(FilterMatcher.of(parsed("{\"$and\": [{\"price\": {\"$gt\": 1}}, {\"orgId\": {\"$in\": [4]}}]}"),
        Optional.empty()).requiredEquality()).contains(Map.entry("orgId", 4L));
    assertThat(FilterMatcher.of(Optional.empty(), Optional.empty()).requiredEquality()).isEmpty();
  }

  @Test
  void requiredEquality_isAbsentWhenNotImpliedByEveryMatch() {
    for (String json : new String[] {
        "{\"$or\": [{\"orgId\": 1}, {\"orgId\": 2}]}",
        "{\"$not\": {\"orgId\": 1}}",
        "{\"orgId\": {\"$in\": [1, 2]}}",
        "{\"orgId\": {\"$nin\": [1]}}",
        "{\"orgId\": {\"$ne\": 1}}",
        "{\"orgId\": {\"$gte\": 1}}"}) {
      assertThat(FilterMatcher.of(parsed(json), Optional.empty()).requiredEquality()).as(json).isEmpty();
    }
  }

  @Test
  void numbers_matchNumerically_whateverTheirScale() {
    Map<String, Object> row = Map.of("id", 1L, "price", new BigDecimal("5.00"), "orgId", 3L);
    FilterMatcher m = FilterMatcher.of(Optional.empty(), parsed("{\"price\": 5}"));
    assertThat(m.matches(row)).isTrue();
    assertThat(EqualityKey.of(m.requiredEquality().orElseThrow().getValue()))
        .isEqualTo(EqualityKey.of(row.get("price")));
    assertThat(FilterMatcher.of(Optional.empty(), parsed("{\"price\": 5.01}")).matches(row)).isFalse();
  }

  @Test
  void wrongTypeOrNull_doesNotMatch_neverThrows() {
    FilterMatcher m = FilterMatcher.of(parsed("{\"orgId\": 3}"), Optional.empty());
    assertThat(m.matches(Map.of("orgId", "3"))).isFalse();
    assertThat(m.matches(Map.of("orgId", 3.0d))).isFalse();
    assertThat(m.matches(Map.of())).isFalse();
    assertThat(FilterMatcher.of(Optional.empty(), parsed("{\"orgId\": {\"$ne\": 3}}")).matches(Map.of())).isFalse();
  }

  @Test
  void forRecord_matchesOnlyThatKey_andRefusesAKeyOfTheWrongType() {
    FilterMatcher m = FilterMatcher.forRecord(StreamFixtures.LENS.schema(), parsed("{\"orgId\": 3}"), Optional.empty(), "42");
    assertThat(m.requiredEquality()).contains(Map.entry("id", 42L));
    assertThat(m.matches(Map.of("id", 42L, "orgId", 3L))).isTrue();
    assertThat(m.matches(Map.of("id", 43L, "orgId", 3L))).isFalse();
    assertThat(m.matches(Map.of("id", 42L, "orgId", 4L))).as("the rule still applies").isFalse();
    for (String bad : new String[] {"abc", "1.5", "", "99999999999999999999"}) {
      assertThatThrownBy(() -> FilterMatcher.forRecord(StreamFixtures.LENS.schema(), Optional.empty(), Optional.empty(), bad))
          .isInstanceOfSatisfying(LensgateException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).doesNotContain(bad.isEmpty() ? "\u0000" : bad);
          });
    }
  }

  @Test
  void equalityKey_agreesWithNumericEquality() {
    assertThat(EqualityKey.of(5L)).isEqualTo(EqualityKey.of(new BigDecimal("5.000")))
        .isEqualTo(EqualityKey.of(new BigDecimal("5E0"))).isEqualTo(EqualityKey.of(5));
    assertThat(EqualityKey.of(new BigDecimal("0.00"))).isEqualTo(EqualityKey.of(0L));
    assertThat(EqualityKey.of(new BigDecimal("1.50"))).isEqualTo(EqualityKey.of(new BigDecimal("1.5")))
        .isNotEqualTo(EqualityKey.of(new BigDecimal("1.51")));
    assertThat(EqualityKey.of(new BigDecimal("1E+30"))).isEqualTo(EqualityKey.of(new BigDecimal("1000000000000000000000000000000.0")));
    assertThat(EqualityKey.of(5L)).isNotEqualTo(EqualityKey.of("5"));
    assertThat(EqualityKey.of(null)).isNull();
    assertThat(EqualityKey.of(5.0d)).isNull();
  }

  /**
   * The stream and search select the same stored rows: rows written to a real index and read back
   * as stored, filtered by the index's compiled query and by the matcher, for random filters.
   */
  @Test
  void storedRows_matcherSelectsWhatTheIndexQuerySelects() throws Exception {
    Random rnd = new Random(5);
    try (LensIndexes indexes = new LensIndexes(dir)) {
      List<IndexRecord> records = new ArrayList<>();
      for (long id = 1; id <= 400; id++) {
        records.add(new IndexRecord(Long.toString(id), StreamFixtures.row(id, rnd), "", Optional.empty(), "h" + id));
      }
      indexes.writer(StreamFixtures.ENV, StreamFixtures.LENS).upsert(records);
      try (LensSearcher searcher = indexes.index(StreamFixtures.ENV, StreamFixtures.LENS).acquire().orElseThrow()) {
        List<StoredDocument> stored = new ArrayList<>();
        for (ScoreDoc d : searcher.searcher().search(new MatchAllDocsQuery(), 1000).scoreDocs) {
          stored.add(searcher.document(d.doc));
        }
        assertThat(stored).hasSize(400);
        List<Filter> filters = new ArrayList<>(List.of(StreamFixtures.parse("{\"price\": 5}"),
            StreamFixtures.parse("{\"price\": {\"$in\": [1, 2.50, 3.0]}}"),
            StreamFixtures.parse("{\"orgId\": 2, \"region\": {\"$ne\": \"eu\"}}")));
        for (int i = 0; i < 300; i++) {
          filters.add(Filters.and(StreamFixtures.filter(rnd, 2), StreamFixtures.filter(rnd, 1)));
        }
        int nonTrivial = 0;
        for (Filter f : filters) {
          Query q = IndexFilters.compile(f, StreamFixtures.LENS.schema());
          Set<String> bySearch = new TreeSet<>();
          for (ScoreDoc d : searcher.searcher().search(q, 1000).scoreDocs) {
            bySearch.add(searcher.document(d.doc).id());
          }
          FilterMatcher m = FilterMatcher.of(Optional.of(f), Optional.empty());
          Set<String> byStream = new TreeSet<>();
          for (StoredDocument d : stored) {
            if (m.matches(d.row())) {
              byStream.add(d.id());
            }
          }
          assertThat(byStream).as("filter %s", f).isEqualTo(bySearch);
          nonTrivial += !bySearch.isEmpty() && bySearch.size() < 400 ? 1 : 0;
        }
        assertThat(nonTrivial).isGreaterThan(100);
      }
    }
  }
}
