package dev.lensgate.runner;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lensgate.core.runner.JobCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jooq.SQLDialect;

/**
 * One HikariCP pool per source, keyed by a SHA-256 of the credentials (url, user, password), so new
 * credentials for a source — a rotation, a moved database — close the old pool and open a new one.
 * Credentials live only in these pools' memory; nothing is written to disk.
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

  /** A pooled connection to {@code source}; the caller closes it. */
  Connection connect(String source, JobCredentials credentials) throws SQLException {
    return pool(source, credentials).getConnection();
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
