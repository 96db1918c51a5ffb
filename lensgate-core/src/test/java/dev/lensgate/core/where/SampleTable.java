package dev.lensgate.core.where;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.SQLDialect;

/**
 * Test fixture: the "items" lens over a table with every field type, nullable columns, mixed-case
 * quoted column names, and a case-insensitive collation on the string column (ICU
 * nondeterministic on PostgreSQL, utf8mb4_general_ci on MariaDB, VARCHAR_IGNORECASE on H2), so
 * every test proves string comparisons stay exact.
 */
public final class SampleTable implements AutoCloseable {
  public static final LensSchema LENS = new LensSchema("items", null, "Items", "id", List.of(
      new LensField("id", "id", FieldType.INTEGER),
      new LensField("label", "labelText", FieldType.STRING),
      new LensField("qty", "qty", FieldType.INTEGER),
      new LensField("price", "price", FieldType.NUMBER),
      new LensField("active", "isActive", FieldType.BOOLEAN),
      new LensField("seenAt", "seenAt", FieldType.TIMESTAMP),
      new LensField("day", "day", FieldType.DATE)));

  private static final String[] COLUMNS = {"id", "labelText", "qty", "price", "isActive", "seenAt", "day"};

  private final TestDatabase db;
  private final Connection connection;

  private SampleTable(TestDatabase db) throws SQLException {
    this.db = db;
    this.connection = db.connect();
  }

  public static SampleTable create(TestDatabase.Kind kind) {
    TestDatabase db = TestDatabase.of(kind);
    try {
      db.execute(ddl(kind));
      return new SampleTable(db);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw new IllegalStateException("could not create sample table on " + kind, e);
    }
  }

  private static String[] ddl(TestDatabase.Kind kind) {
    switch (kind) {
      case POSTGRES:
        return new String[] {
            "CREATE COLLATION ci_test (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
            "CREATE TABLE \"Items\" (\"id\" bigint PRIMARY KEY, \"labelText\" text COLLATE ci_test, \"qty\" bigint,"
                + " \"price\" numeric(24,4), \"isActive\" boolean, \"seenAt\" timestamptz, \"day\" date)"};
      case MARIADB:
        return new String[] {
            "CREATE TABLE `Items` (`id` bigint PRIMARY KEY, `labelText` varchar(200) CHARACTER SET utf8mb4"
                + " COLLATE utf8mb4_general_ci, `qty` bigint, `price` decimal(24,4), `isActive` boolean,"
                + " `seenAt` datetime(6), `day` date)"};
      default:
        return new String[] {
            "CREATE TABLE \"Items\" (\"id\" bigint PRIMARY KEY, \"labelText\" varchar_ignorecase(200), \"qty\" bigint,"
                + " \"price\" numeric(24,4), \"isActive\" boolean, \"seenAt\" timestamp(6) with time zone, \"day\" date)"};
    }
  }

  public TestDatabase.Kind kind() {
    return db.kind();
  }

  public SQLDialect dialect() {
    switch (db.kind()) {
      case POSTGRES: return SQLDialect.POSTGRES;
      case MARIADB: return SQLDialect.MARIADB;
      default: return SQLDialect.H2;
    }
  }

  /** An open connection owned by this fixture. */
  public Connection connection() {
    return connection;
  }

  public TestDatabase database() {
    return db;
  }

  private String quote(String id) {
    return db.kind() == TestDatabase.Kind.MARIADB ? "`" + id + "`" : "\"" + id + "\"";
  }

  /** Replaces the table contents with {@code rows} (maps keyed by lens field name, normalized values). */
  public void replaceRows(List<Map<String, Object>> rows) {
    try (Statement s = connection.createStatement()) {
      s.execute("DELETE FROM " + quote("Items"));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    insert(rows);
  }

  public void insert(List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(quote("Items")).append(" (");
    for (int i = 0; i < COLUMNS.length; i++) {
      sql.append(i == 0 ? "" : ", ").append(quote(COLUMNS[i]));
    }
    sql.append(") VALUES (?, ?, ?, ?, ?, ?, ?)");
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      for (Map<String, Object> row : rows) {
        ps.setLong(1, (Long) row.get("id"));
        setOrNull(ps, 2, row.get("label"), Types.VARCHAR);
        setOrNull(ps, 3, row.get("qty"), Types.BIGINT);
        setOrNull(ps, 4, row.get("price"), Types.DECIMAL);
        setOrNull(ps, 5, row.get("active"), Types.BOOLEAN);
        Instant ts = (Instant) row.get("seenAt");
        if (ts == null) {
          ps.setNull(6, db.kind() == TestDatabase.Kind.MARIADB ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (db.kind() == TestDatabase.Kind.MARIADB) {
          ps.setObject(6, LocalDateTime.ofInstant(ts, ZoneOffset.UTC));
        } else {
          ps.setObject(6, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
        }
        setOrNull(ps, 7, row.get("day"), Types.DATE);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("insert failed on " + db.kind(), e);
    }
  }

  private static void setOrNull(PreparedStatement ps, int i, Object v, int type) throws SQLException {
    if (v == null) {
      ps.setNull(i, type);
    } else if (v instanceof BigDecimal) {
      ps.setBigDecimal(i, (BigDecimal) v);
    } else if (v instanceof LocalDate) {
      ps.setObject(i, v);
    } else {
      ps.setObject(i, v);
    }
  }

  public long count() {
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + quote("Items"))) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A row map with every lens field (nulls included). */
  public static Map<String, Object> row(long id, String label, Long qty, BigDecimal price, Boolean active,
      Instant seenAt, LocalDate day) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("label", label);
    m.put("qty", qty);
    m.put("price", price);
    m.put("active", active);
    m.put("seenAt", seenAt);
    m.put("day", day);
    return m;
  }

  public static List<Long> ids(List<Map<String, Object>> rows) {
    List<Long> out = new ArrayList<>(rows.size());
    for (Map<String, Object> r : rows) {
      out.add((Long) r.get("id"));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing a test connection; nothing to do
    }
    db.close();
  }
}
