package dev.lensgate.core.plan;

import static dev.lensgate.core.plan.PlanFixtures.ENV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.core.where.RandomData;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.core.where.WhereWriter;
import dev.lensgate.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A rule filter cannot be escaped: whatever where, orderBy, offset, limit and cursors a client
 * sends, every row it gets satisfies the rule filter, and it gets exactly the rows that satisfy
 * both. Cursors minted under another rule filter (another user) are rejected.
 */
class RuleFilterProperties {
  private static final List<SampleTable> TABLES = new ArrayList<>();
  private static final CursorCodec CODEC = new CursorCodec(PlanFixtures.KEY);
  private static final ReadPlanner PLANNER = new ReadPlanner(CODEC);
  private static final String[] SORTABLE = {"label", "qty", "price", "active", "seenAt", "day", "id"};

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

  @Property(tries = 60)
  void everyReturnedRow_satisfiesTheRuleFilter(@ForAll long seed) {
    RandomData data = new RandomData(seed, RandomData.BMP_ALPHABET);
    Random random = data.random();
    List<Map<String, Object>> rows = data.rows(30);
    Map<Long, Map<String, Object>> byId = new HashMap<>();
    rows.forEach(r -> byId.put((Long) r.get("id"), r));
    Filter rule = WhereParser.parse(data.where(2), SampleTable.LENS);

    ObjectNode body = PlanFixtures.body();
    ObjectNode clientWhere = clientWhere(data, rule);
    if (clientWhere != null) {
      body.set("where", clientWhere);
    }
    String sortField = SORTABLE[random.nextInt(SORTABLE.length)];
    boolean desc = random.nextBoolean();
    body.putObject("orderBy").put("field", sortField).put("dir", desc ? "desc" : "asc");
    List<SortKey> order = new ArrayList<>(List.of(new SortKey(sortField, desc ? SortKey.Direction.DESC : SortKey.Direction.ASC)));
    if (!sortField.equals("id")) {
      order.add(SortKey.asc("id"));
    }
    int limit = 1 + random.nextInt(5);
    body.put("limit", limit);
    if (random.nextInt(3) == 0) {
      body.put("offset", random.nextInt(4));
    }
    Filter client = WhereParser.parse(body.get("where"), SampleTable.LENS);

    int offset = body.has("offset") ? body.get("offset").intValue() : 0;
    List<Long> all = PlanFixtures.expectedIds(rows, Optional.of(Filters.and(rule, client)), order);
    List<Long> expected = all.subList(Math.min(offset, all.size()), all.size());

    for (SampleTable table : TABLES) {
      table.replaceRows(rows);
      JdbcReadExecutor executor = new JdbcReadExecutor(table.dialect(), CODEC);
      List<Long> seen = new ArrayList<>();
      ObjectNode page = body.deepCopy();
      for (int guard = 0; guard <= rows.size() + 1; guard++) {
        ReadSpec spec = PLANNER.plan(QueryRequest.parse(page, SampleTable.LENS), Optional.of(rule), SampleTable.LENS, ENV);
        ReadResult result = executor.execute(table.connection(), spec, SampleTable.LENS, ENV);
        for (Long id : SampleTable.ids(result.rows())) {
          assertThat(InMemoryPredicate.test(rule, byId.get(id)))
              .as("%s returned row %s outside rule %s for %s", table.kind(), id, WhereWriter.toJson(rule), page)
              .isTrue();
          seen.add(id);
        }
        if (result.nextCursor().isEmpty()) {
          break;
        }
        String cursor = result.nextCursor().get();
        // The same cursor without the rule (or with another rule) must not be accepted.
        if (!(rule instanceof Filter.MatchAll)) {
          assertThatThrownBy(() -> PLANNER.plan(QueryRequest.parse(withCursor(body, cursor), SampleTable.LENS),
              Optional.empty(), SampleTable.LENS, ENV))
              .isInstanceOf(LensgateException.class)
              .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.INVALID_CURSOR));
        }
        assertThatThrownBy(() -> PLANNER.plan(QueryRequest.parse(withCursor(body, cursor), SampleTable.LENS),
            Optional.of(Filters.not(rule)), SampleTable.LENS, ENV))
            .isInstanceOf(LensgateException.class)
            .satisfies(e -> assertThat(((LensgateException) e).code()).isEqualTo(ErrorCode.INVALID_CURSOR));
        page = withCursor(body, cursor);
      }
      assertThat(seen).as("%s rows for rule %s and %s", table.kind(), WhereWriter.toJson(rule), body)
          .isEqualTo(expected);
    }
  }

  /** Random, and sometimes adversarial: trying to widen, negate or sidestep the rule. */
  private static ObjectNode clientWhere(RandomData data, Filter rule) {
    switch (data.random().nextInt(6)) {
      case 0:
        return null;
      case 1: {
        ObjectNode o = PlanFixtures.body();
        o.set("$not", WhereWriter.toJson(rule));
        return o;
      }
      case 2: {
        ObjectNode o = PlanFixtures.body();
        o.putArray("$or").add(PlanFixtures.json("{\"id\":{\"$exists\":true}}")).add(PlanFixtures.json("{\"id\":null}"));
        return o;
      }
      default:
        return data.where(2);
    }
  }

  private static ObjectNode withCursor(ObjectNode body, String cursor) {
    ObjectNode o = body.deepCopy();
    o.remove("offset");
    o.put("cursor", cursor);
    return o;
  }
}
