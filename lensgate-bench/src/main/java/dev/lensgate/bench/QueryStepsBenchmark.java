package dev.lensgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.Grant;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.QueryRequest;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.core.plan.ReadResult;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.plan.SortKey;
import dev.lensgate.core.rules.RuleOutcome;
import dev.lensgate.core.where.RenderedQuery;
import dev.lensgate.core.where.SqlColumns;
import dev.lensgate.core.where.SqlFilterCompiler;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.execute.SourceConnection;
import dev.lensgate.server.execute.SourcePools;
import dev.lensgate.server.query.QueryResponse;
import dev.lensgate.server.shape.RowShaper;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's per-request work after authorization, in process and without HTTP, so the load
 * harness's numbers can be split: body parse ({@link #parseBody}), SQL rendering with jOOQ
 * ({@link #renderSql}), the execute step against PostgreSQL ({@link #executeViaLensReader}: pool
 * borrow, render, bind, run, read rows) next to the same point read in plain JDBC
 * ({@link #executeDirectJdbc}), and shaping + JSON output ({@link #shapeAndWrite}).
 *
 * <p>Needs the machine's PostgreSQL (test kit); the table is the load harness's, with 10,000 rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class QueryStepsBenchmark {
  private static final int ROWS = 10_000;
  private static final String BODY = "{\"where\":{\"id\":" + AuthorizeFixture.QUERY_ID + "}}";

  private TestDatabase db;
  private SourcePools pools;
  private LensReader reader;
  private LensConfig lens;
  private ReadSpec spec;
  private ReadResult result;
  private String org;
  private final ObjectMapper json = new ObjectMapper();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    db = TestDatabase.postgres();
    db.execute(
        "CREATE TABLE items (id bigint PRIMARY KEY, org_id text NOT NULL, name text NOT NULL, price numeric(10,2) NOT NULL)",
        "INSERT INTO items SELECT g, 'org-' || (g % " + BenchConfig.ORGS + "), 'item ' || g, (g % 10000) / 100.0"
            + " FROM generate_series(1, " + ROWS + ") AS g",
        "ANALYZE items");
    String yaml = BenchConfig.yaml(Path.of("unused-jwks.json"), db.jdbcUrl(), db.name());
    lens = ConfigLoader.parse(yaml, "bench.yaml").config().orElseThrow().lens(BenchConfig.LENS).orElseThrow();
    org = BenchConfig.orgOf(AuthorizeFixture.QUERY_ID);
    RuleOutcome outcome = ((Grant.Authenticated) lens.grant(Operation.QUERY).orElseThrow()).rule().orElseThrow()
        .evaluate(Map.of("orgId", org));
    JsonNode ruleFilter = ((RuleOutcome.AllowWithFilter) outcome).filter();
    ReadPlanner planner;
    try (SecretBytes cursorKey = MasterKeys.ephemeral().cursorKey()) {
      planner = new ReadPlanner(new CursorCodec(cursorKey.reveal()));
    }
    spec = planner.plan(QueryRequest.parse(json.readTree(BODY), lens.schema()),
        Optional.of(WhereParser.parse(ruleFilter, lens.schema())), lens.schema(), "env");
    pools = new SourcePools((envId, source) -> new SourceConnection(db.jdbcUrl(), db.user(), db.password().toCharArray()),
        Duration.ofSeconds(5), 16);
    reader = new LensReader(pools, planner);
    result = reader.read("env", lens, spec);
    if (result.rows().size() != 1 || !executeDirectJdbc()) {
      throw new IllegalStateException("the point read did not find its row");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pools.close();
    db.close();
  }

  @Benchmark
  public QueryRequest parseBody() throws Exception {
    return QueryRequest.parse(json.readTree(BODY), lens.schema());
  }

  /** Builds and renders the query exactly as {@code JdbcReadExecutor.fetch} does, without running it. */
  @Benchmark
  public RenderedQuery renderSql() {
    SqlColumns cols = SqlColumns.of(lens.schema(), SQLDialect.POSTGRES);
    List<Field<?>> fields = new ArrayList<>();
    for (String name : spec.select()) {
      fields.add(cols.column(name));
    }
    List<SortField<?>> sorts = new ArrayList<>();
    for (SortKey k : spec.orderBy()) {
      sorts.add(cols.sortField(k.field(), k.descending()));
    }
    return RenderedQuery.render(DSL.select(fields).from(cols.table()).where(SqlFilterCompiler.compile(spec.filter(), cols))
        .orderBy(sorts).limit(DSL.val(spec.limit() + 1)).offset(DSL.val(spec.offset())), SQLDialect.POSTGRES);
  }

  @Benchmark
  public ReadResult executeViaLensReader() {
    return reader.read("env", lens, spec);
  }

  @Benchmark
  public boolean executeDirectJdbc() throws SQLException {
    try (Connection c = pools.connection(pools.pool("env", BenchConfig.SOURCE));
        PreparedStatement ps = c.prepareStatement("SELECT id, org_id, name, price FROM items WHERE id = ? AND org_id = ?")) {
      ps.setLong(1, AuthorizeFixture.QUERY_ID);
      ps.setString(2, org);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) == AuthorizeFixture.QUERY_ID && rs.getString(2) != null
            && rs.getString(3) != null && rs.getBigDecimal(4) != null;
      }
    }
  }

  /** {@code RowShaper} plus the response document, the two calls {@code QueryRoute.handle} makes. */
  @Benchmark
  public String shapeAndWrite() {
    List<Map<String, Object>> rows = RowShaper.shape(lens, result.rows());
    return QueryResponse.render(lens.name(), rows, Optional.empty(), 0.12);
  }
}
