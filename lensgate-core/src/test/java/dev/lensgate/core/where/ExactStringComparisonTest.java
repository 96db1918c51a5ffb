package dev.lensgate.core.where;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The security property behind exact strings: on a column with a case- and accent-insensitive
 * collation (MariaDB utf8mb4_general_ci, a PostgreSQL nondeterministic ICU collation, H2
 * VARCHAR_IGNORECASE), a rule filter {@code {label: "acme"}} selects 'acme' and nothing else.
 */
class ExactStringComparisonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> LOOKALIKES = List.of("acme", "ACME", "Acme", "acme ", " acme", "ácme", "acmé", "acme\t");

  private static Set<Long> select(SampleTable t, String where) throws Exception {
    return WhereEquivalenceProperties.selectIds(t, WhereParser.parse(JSON.readTree(where), SampleTable.LENS));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void equalityOnCaseInsensitiveColumn_matchesOnlyTheExactValue(TestDatabase.Kind kind) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < LOOKALIKES.size(); i++) {
      rows.add(SampleTable.row(i + 1, LOOKALIKES.get(i), null, null, null, null, null));
    }
    try (SampleTable t = SampleTable.create(kind)) {
      t.insert(rows);
      assertThat(select(t, "{\"label\":\"acme\"}")).containsExactly(1L);
      assertThat(select(t, "{\"label\":{\"$in\":[\"acme\",\"x\"]}}")).containsExactly(1L);
      assertThat(select(t, "{\"label\":{\"$ne\":\"acme\"}}")).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(select(t, "{\"label\":{\"$nin\":[\"ACME\"]}}")).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(select(t, "{\"label\":{\"$gte\":\"acme\",\"$lte\":\"acme\"}}")).containsExactly(1L);
      assertThat(select(t, "{\"label\":{\"$like\":\"acme\"}}")).containsExactly(1L);
      assertThat(select(t, "{\"label\":{\"$startsWith\":\"ac\"}}")).containsExactly(1L, 4L, 7L, 8L);
      assertThat(select(t, "{\"label\":{\"$ilike\":\"ACME\"}}")).containsExactly(1L, 2L, 3L);
      assertThat(select(t, "{\"label\":{\"$lt\":\"a\"}}")).containsExactly(2L, 3L, 5L);
    }
  }
}
