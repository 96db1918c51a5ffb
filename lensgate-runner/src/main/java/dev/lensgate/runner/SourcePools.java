package dev.lensgate.runner;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.lensgate.core.runner.JobCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jooq.SQLDialect;

/**
 * One HikariCP pool per source, keyed by a SHA-256 of the credentials (url, user, password), so new
 * credentials for a source — a rotation, a moved database — close the old pool and open a new one.
 * Credentials live only in these pools' memory; nothing is written to disk. Connection attempts
 * are bounded by the driver's own connect timeout as well as Hikari's, and a cold pool fails fast
 * on a refused database ({@link #connect(String, JobCredentials, Duration)}).
 *
 * <p>Thread-safe: pool lookup and replacement are synchronized; connections are used outside the lock.
 */
final class SourcePools implements AutoCloseable {
  private final int maxPoolSize;
  private final Duration connectTimeout;
  private final Map<String, Entry> pools = new HashMap<>();
  private boolean closed;

  private record Entry(byte[] key, HikariDataSource pool) {}

  SourcePools(int maxPoolSize, Duration connectTimeout) {
    this.maxPoolSize = maxPoolSize;
    this.connectTimeout = connectTimeout;
  }

  /** The dialect a JDBC URL speaks, or an exception for any other database. */
  static SQLDialect dialectOf(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:postgresql:")) {
      return SQLDialect.POSTGRES;
    }
    if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
      return SQLDialect.MARIADB;
    }
    if (u.startsWith("jdbc:h2:")) {
      return SQLDialect.H2;
    }
    throw new IllegalArgumentException("unsupported database");
  }

  /**
   * A pooled connection to {@code source} (the caller closes it), failing fast when the database
   * cannot be reached.
   *
   * <p>Hikari waits its whole {@code connectionTimeout} for a connection even when every attempt
   * is refused at once, which would turn an unreachable database into a job timeout. So while the
   * pool holds no connection (cold, or every connection was lost) one direct driver connection is
   * tried first, bounded by {@code budget} (and the connect timeout); if it fails the job fails at
   * once with the driver's {@link SQLException}. A pool that holds connections is used as is.
   *
   * @param budget the job's remaining time
   */
  Connection connect(String source, JobCredentials credentials, Duration budget) throws SQLException {
    HikariDataSource pool = pool(source, credentials);
    HikariPoolMXBean state = pool.getHikariPoolMXBean();
    if (state == null || state.getTotalConnections() == 0) {
      probe(credentials, budget);
    }
    return pool.getConnection();
  }

  private void probe(JobCredentials credentials, Duration budget) throws SQLException {
    long millis = Math.max(1000, Math.min(connectTimeout.toMillis(), budget.toMillis()));
    Driver driver = DriverManager.getDriver(credentials.url());
    Properties props = new Properties();
    props.setProperty("user", credentials.user());
    props.setProperty("password", credentials.password().revealUtf8());
    connectTimeoutProperties(credentials.url(), millis).forEach(props::setProperty);
    Connection c = driver.connect(credentials.url(), props);
    if (c == null) {
      throw new SQLException("no driver accepts the source URL");
    }
    c.close();
  }

  /** Driver properties bounding a connection attempt to {@code millis} (PostgreSQL: seconds; MariaDB: ms). */
  static Map<String, String> connectTimeoutProperties(String url, long millis) {
    SQLDialect dialect = dialectOf(url);
    if (dialect == SQLDialect.POSTGRES) {
      String seconds = Long.toString(Math.max(1, (millis + 999) / 1000));
      return Map.of("connectTimeout", seconds, "loginTimeout", seconds);
    }
    if (dialect == SQLDialect.MARIADB) {
      return Map.of("connectTimeout", Long.toString(millis));
    }
    return Map.of();
  }

  private synchronized HikariDataSource pool(String source, JobCredentials credentials) {
    if (closed) {
      throw new IllegalStateException("source pools are closed");
    }
    byte[] key = key(credentials);
    Entry e = pools.get(source);
    if (e != null && MessageDigest.isEqual(e.key(), key)) {
      return e.pool();
    }
    if (e != null) {
      e.pool().close();
    }
    HikariDataSource pool = new HikariDataSource(config(source, credentials));
    pools.put(source, new Entry(key, pool));
    return pool;
  }

  private HikariConfig config(String source, JobCredentials credentials) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("lensgate-runner-" + source);
    c.setJdbcUrl(credentials.url());
    c.setUsername(credentials.user());
    c.setPassword(credentials.password().revealUtf8());
    c.setMaximumPoolSize(maxPoolSize);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(connectTimeout.toMillis());
    connectTimeoutProperties(credentials.url(), connectTimeout.toMillis()).forEach(c::addDataSourceProperty);
    // Do not fail (or connect) at construction: an unreachable source is a job error, not a crash.
    c.setInitializationFailTimeout(-1);
    c.setReadOnly(true);
    return c;
  }

  private static byte[] key(JobCredentials c) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] part : new byte[][] {c.url().getBytes(StandardCharsets.UTF_8), c.user().getBytes(StandardCharsets.UTF_8),
          c.password().reveal()}) {
        md.update(ByteCount.of(part.length));
        md.update(part);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** Length prefixes keep (url, user) = ("ab", "c") and ("a", "bc") apart. */
  private static final class ByteCount {
    static byte[] of(int n) {
      return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
  }

  synchronized int openPools() {
    return pools.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Entry e : pools.values()) {
      e.pool().close();
    }
    pools.clear();
  }
}
