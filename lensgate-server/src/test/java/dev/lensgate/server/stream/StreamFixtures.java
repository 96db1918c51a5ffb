package dev.lensgate.server.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A lens {@code tickets(id integer, orgId integer, region string, price number, active boolean)},
 * random rows (numbers with random scales, NULLs), random filters of every kind that matters for
 * the equality index, a change generator that keeps the indexed state (so {@code before} is what a
 * sync would pass), and the brute-force reference of what one subscriber must receive.
 */
final class StreamFixtures {
  static final String ENV = "env-1";
  static final String LENS_NAME = "tickets";
  static final String[] REGIONS = {"eu", "us", "apac", "EU"};
  static final LensConfig LENS = ConfigLoader.parse(
      "stack: lensgate/v1\n"
      + "sources:\n  main: { type: h2 }\n"
      + "lenses:\n  tickets:\n    source: main\n    table: tickets\n    primaryKey: id\n"
      + "    fields:\n      id: { type: integer }\n      orgId: { type: integer }\n      region: { type: string }\n"
      + "      price: { type: number }\n      active: { type: boolean }\n", "t.yaml")
      .config().orElseThrow().lens(LENS_NAME).orElseThrow();
  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamFixtures() {}

  /** A where/rule parsed from JSON exactly as the gateway parses a client's or a rule's filter. */
  static Filter parse(String json) {
    try {
      return WhereParser.parse(JSON.readTree(json), LENS.schema());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> row(long id, Random rnd) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("orgId", rnd.nextInt(10) == 0 ? null : (long) rnd.nextInt(8));
    row.put("region", rnd.nextInt(8) == 0 ? null : REGIONS[rnd.nextInt(REGIONS.length)]);
    // The same value with scales 0..2 (5, 5.0, 5.00): the index must treat them as one.
    row.put("price", rnd.nextInt(10) == 0 ? null : BigDecimal.valueOf(rnd.nextInt(20)).setScale(rnd.nextInt(3)));
    if (rnd.nextInt(6) != 0) {
      row.put("active", rnd.nextBoolean());
    }
    return row;
  }

  /** Random filters: equalities (indexed), $in, $gt, $or, NOT, exists, nested. */
  static Filter filter(Random rnd, int depth) {
    int kind = depth <= 0 ? rnd.nextInt(7) : rnd.nextInt(10);
    switch (kind) {
      case 0: return Filters.eq("orgId", (long) rnd.nextInt(8));
      case 1: return Filters.eq("price", new BigDecimal(rnd.nextInt(20) + (rnd.nextBoolean() ? ".0" : "")));
      case 2: return Filters.eq("region", REGIONS[rnd.nextInt(REGIONS.length)]);
      case 3: {
        List<Object> values = new ArrayList<>();
        for (int i = rnd.nextInt(3); i >= 0; i--) {
          values.add((long) rnd.nextInt(8));
        }
        return new Filter.In("orgId", values, rnd.nextInt(4) == 0);
      }
      case 4: return Filters.compare("price", Filter.CompareOp.values()[rnd.nextInt(6)],
          BigDecimal.valueOf(rnd.nextInt(200), 1));
      case 5: return new Filter.Exists(rnd.nextBoolean() ? "active" : "orgId", rnd.nextBoolean());
      case 6: return Filters.eq("active", rnd.nextBoolean());
      case 7: return Filters.and(filter(rnd, depth - 1), filter(rnd, depth - 1));
      case 8: return Filters.or(filter(rnd, depth - 1), filter(rnd, depth - 1));
      default: return Filters.not(filter(rnd, depth - 1));
    }
  }

  /** Applies random inserts, updates and deletes to an in-memory index and returns each change. */
  static final class Changes {
    private final Map<Long, Map<String, Object>> indexed = new HashMap<>();
    private final Random rnd;
    private final int ids;
    private final long idBase;

    Changes(Random rnd, int ids, long idBase) {
      this.rnd = rnd;
      this.ids = ids;
      this.idBase = idBase;
    }

    ChangeEvent next() {
      long id = idBase + rnd.nextInt(ids);
      Map<String, Object> before = indexed.get(id);
      if (before != null && rnd.nextInt(5) == 0) {
        indexed.remove(id);
        return ChangeEvent.delete(ENV, LENS_NAME, Long.toString(id), before);
      }
      Map<String, Object> after = row(id, rnd);
      if (before != null && rnd.nextBoolean()) {
        after.put("orgId", before.get("orgId")); // often only a field other than the owner changes
      }
      indexed.put(id, after);
      return ChangeEvent.upsert(ENV, LENS_NAME, Long.toString(id), Optional.ofNullable(before), after);
    }
  }

  /** What a subscriber with {@code filter} must get for {@code change}, written out independently. */
  static Optional<Received> expected(Filter filter, ChangeEvent change) {
    boolean before = change.before().map(r -> test(filter, r)).orElse(false);
    boolean after = change.after().map(r -> test(filter, r)).orElse(false);
    if (!before && after) {
      return Optional.of(new Received(StreamEvent.Kind.INSERT, change.id(), change.after().get()));
    }
    if (before && after) {
      return Optional.of(new Received(StreamEvent.Kind.UPDATE, change.id(), change.after().get()));
    }
    if (before) {
      return Optional.of(new Received(StreamEvent.Kind.DELETE, change.id(), change.before().get()));
    }
    return Optional.empty();
  }

  private static boolean test(Filter filter, Map<String, Object> row) {
    try {
      return InMemoryPredicate.test(filter, row);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** An event without its timestamp, comparable with equals. */
  record Received(StreamEvent.Kind kind, String id, Map<String, Object> row) {
    static Received of(StreamEvent e) {
      return new Received(e.kind(), e.id(), e.row());
    }
  }
}
