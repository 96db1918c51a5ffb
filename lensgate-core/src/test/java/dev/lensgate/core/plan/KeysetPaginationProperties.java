package dev.lensgate.core.plan;

import static dev.lensgate.core.plan.PlanFixtures.ENV;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.RandomData;
import dev.lensgate.core.where.SampleTable;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.testkit.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Keyset paging on PostgreSQL, MariaDB and H2: for random rows (duplicates and NULLs in every sort
 * column), random mixed-direction orderBy, random filters and page sizes, walking every page by
 * cursor returns exactly the rows of one unpaged ordered read — no duplicates, no gaps — and that
 * order is the same on every database and in memory.
 */
class KeysetPaginationProperties {
  private static final List<SampleTable> TABLES = new ArrayList<>();
  private static final String[] SORTABLE = {"label", "qty", "price", "active", "seenAt", "day", "id"};
  private static final CursorCodec CODEC = new CursorCodec(PlanFixtures.KEY);
  private static final ReadPlanner PLANNER = new ReadPlanner(CODEC);

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
  void pagingByCursor_equalsOneOrderedRead_onEveryDatabase(@ForAll long seed) {
    RandomData data = new RandomData(seed, RandomData.BMP_ALPHABET);
    Random random = data.random();
    List<Map<String, Object>> rows = data.rows(40);
    ObjectNode base = PlanFixtures.body();
    ArrayNode orderBy = base.putArray("orderBy");
    List<SortKey> order = new ArrayList<>();
    List<String> fields = new ArrayList<>(List.of(SORTABLE));
    java.util.Collections.shuffle(fields, random);
    for (String f : fields.subList(0, 1 + random.nextInt(3))) {
      boolean desc = random.nextBoolean();
      orderBy.addObject().put("field", f).put("dir", desc ? "desc" : "asc");
      order.add(new SortKey(f, desc ? SortKey.Direction.DESC : SortKey.Direction.ASC));
    }
    if (order.stream().noneMatch(k -> k.field().equals("id"))) {
      order.add(SortKey.asc("id"));
    }
    Optional<Filter> filter = Optional.empty();
    if (random.nextInt(3) == 0) {
      ObjectNode where = data.where(1);
      base.set("where", where);
      filter = Optional.of(WhereParser.parse(where, SampleTable.LENS));
    }
    List<Long> expected = PlanFixtures.expectedIds(rows, filter, order);
    int pageSize = 1 + random.nextInt(6);
    int offset = random.nextInt(4) == 0 ? random.nextInt(5) : 0;

    for (SampleTable table : TABLES) {
      table.replaceRows(rows);
      JdbcReadExecutor executor = new JdbcReadExecutor(table.dialect(), CODEC);

      ObjectNode all = base.deepCopy().put("limit", 1000);
      ReadResult unpaged = read(executor, table, all);
      assertThat(SampleTable.ids(unpaged.rows()))
          .as("%s orders like the in-memory reference for %s", table.kind(), base)
          .isEqualTo(expected);
      assertThat(unpaged.nextCursor()).isEmpty();

      List<Long> paged = new ArrayList<>();
      ObjectNode page = base.deepCopy().put("limit", pageSize);
      if (offset > 0) {
        page.put("offset", offset);
      }
      for (int guard = 0; guard <= rows.size() + 1; guard++) {
        ReadResult r = read(executor, table, page);
        assertThat(r.rows().size()).isLessThanOrEqualTo(pageSize);
        paged.addAll(SampleTable.ids(r.rows()));
        if (r.nextCursor().isEmpty()) {
          break;
        }
        assertThat(r.rows()).as("a page with a next cursor is full").hasSize(pageSize);
        page = base.deepCopy().put("limit", pageSize).put("cursor", r.nextCursor().get());
      }
      assertThat(paged)
          .as("%s pages (size %d, offset %d) of %s", table.kind(), pageSize, offset, base)
          .isEqualTo(expected.subList(Math.min(offset, expected.size()), expected.size()));
    }
  }

  private static ReadResult read(JdbcReadExecutor executor, SampleTable table, ObjectNode body) {
    QueryRequest req = QueryRequest.parse(body, SampleTable.LENS);
    ReadSpec spec = PLANNER.plan(req, Optional.empty(), SampleTable.LENS, ENV);
    return executor.execute(table.connection(), spec, SampleTable.LENS, ENV);
  }
}
