package dev.lensgate.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.core.where.SampleTable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared helpers for planner and executor tests. */
final class PlanFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final String ENV = "env_test";

  private PlanFixtures() {}

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode body() {
    return JSON.createObjectNode();
  }

  /** Rows the filter selects, sorted as the databases must sort them (NULL is the largest value). */
  static List<Long> expectedIds(List<Map<String, Object>> rows, Optional<Filter> filter, List<SortKey> order) {
    List<Map<String, Object>> selected = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      if (filter.isEmpty() || InMemoryPredicate.test(filter.get(), r)) {
        selected.add(r);
      }
    }
    selected.sort(comparator(order));
    return SampleTable.ids(selected);
  }

  static Comparator<Map<String, Object>> comparator(List<SortKey> order) {
    return (a, b) -> {
      for (SortKey k : order) {
        Object x = a.get(k.field());
        Object y = b.get(k.field());
        int c;
        if (x == null || y == null) {
          c = x == null ? (y == null ? 0 : 1) : -1;
        } else {
          c = FieldValues.compare(x, y);
        }
        if (c != 0) {
          return k.descending() ? -c : c;
        }
      }
      return 0;
    };
  }
}
