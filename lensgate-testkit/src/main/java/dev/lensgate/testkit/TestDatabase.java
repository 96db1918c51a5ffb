package dev.lensgate.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh, isolated database namespace for one test: its own PostgreSQL schema, MariaDB database or
 * H2 in-memory database, dropped on {@link #close()}. Tests never share state.
 *
 * <p>When a server is unreachable the test is skipped locally, but under {@code CI=true} it fails:
 * CI must never pass with the database-backed tests silently skipped.
 */
public final class TestDatabase implements AutoCloseable {
  public enum Kind { POSTGRES, MARIADB, H2 }

  private final Kind kind;
  private final String name;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private TestDatabase(Kind kind, String name, String jdbcUrl, String user, String password) {
    this.kind = kind;
    this.name = name;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  static String env(String key, String fallback) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String freshName() {
    return "lg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
  }

  /** A fresh schema on the PostgreSQL at {@code LENSGATE_TEST_PG_URL} (default 127.0.0.1:5432/test). */
  public static TestDatabase postgres() {
    String base = env("LENSGATE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = env("LENSGATE_TEST_PG_USER", "postgres");
    String password = env("LENSGATE_TEST_PG_PASSWORD", "");
    String schema = freshName();
    exec(Kind.POSTGRES, base, user, password, "CREATE SCHEMA " + schema);
    String sep = base.contains("?") ? "&" : "?";
    return new TestDatabase(Kind.POSTGRES, schema, base + sep + "currentSchema=" + schema, user, password);
  }

  /** A fresh database on the MariaDB at {@code LENSGATE_TEST_MARIADB_URL} (default 127.0.0.1:3306). */
  public static TestDatabase mariadb() {
    String base = env("LENSGATE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
    String user = env("LENSGATE_TEST_MARIADB_USER", "root");
    String password = env("LENSGATE_TEST_MARIADB_PASSWORD", "");
    String db = freshName();
    exec(Kind.MARIADB, base, user, password, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    String root = base.endsWith("/") ? base : base + "/";
    return new TestDatabase(Kind.MARIADB, db, root + db, user, password);
  }

  /** A fresh in-memory H2 database (always available). */
  public static TestDatabase h2() {
    String db = freshName();
    return new TestDatabase(Kind.H2, db, "jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  public static TestDatabase of(Kind kind) {
    switch (kind) {
      case POSTGRES: return postgres();
      case MARIADB: return mariadb();
      default: return h2();
    }
  }

  public Kind kind() { return kind; }

  /** The schema (PostgreSQL) or database (MariaDB, H2) name. */
  public String name() { return name; }

  public String jdbcUrl() { return jdbcUrl; }

  public String user() { return user; }

  public String password() { return password; }

  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl, p);
  }

  /** Runs DDL/DML statements in order (test fixtures only; never with untrusted text). */
  public void execute(String... sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("fixture SQL failed on " + kind + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      switch (kind) {
        case POSTGRES:
          exec(kind, env("LENSGATE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"), user, password,
              "DROP SCHEMA IF EXISTS " + name + " CASCADE");
          break;
        case MARIADB:
          exec(kind, env("LENSGATE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/"), user, password,
              "DROP DATABASE IF EXISTS " + name);
          break;
        default:
          try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
          }
      }
    } catch (SQLException | RuntimeException e) {
      // Best effort: a leftover lg_* namespace is harmless and never reused.
    }
  }

  private static void exec(Kind kind, String url, String user, String password, String sql) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", kind == Kind.POSTGRES ? "5" : "5000");
    try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      unavailable(kind, e);
    }
  }

  private static void unavailable(Kind kind, SQLException e) {
    String msg = kind + " is not reachable for tests (" + e.getMessage() + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(msg + "; CI=true forbids skipping database-backed tests", e);
    }
    org.junit.jupiter.api.Assumptions.abort(msg);
  }
}
