package dev.lensgate.server.execute;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.SQLDialect;

/**
 * One HikariCP pool per (environment, source), built lazily on first use from the source's
 * credentials (decrypted in memory by the {@link SourceResolver} right then, wiped afterwards).
 * Connection failures surface as {@code 502 source_unreachable}; nothing about the source's
 * address or credentials reaches the client.
 */
public final class SourcePools implements AutoCloseable {
  /** Finds and decrypts a source's connection details. */
  public interface SourceResolver {
    SourceConnection resolve(String envId, String sourceName);
  }

  /** A pool and its dialect. */
  public record Pool(HikariDataSource dataSource, SQLDialect dialect) {}

  private final SourceResolver resolver;
  private final Duration connectTimeout;
  private final int maxPoolSize;
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();

  public SourcePools(SourceResolver resolver, Duration connectTimeout, int maxPoolSize) {
    this.resolver = resolver;
    this.connectTimeout = connectTimeout;
    this.maxPoolSize = maxPoolSize;
  }

  public Pool pool(String envId, String sourceName) {
    return pools.computeIfAbsent(envId + "\u0000" + sourceName, k -> open(envId, sourceName));
  }

  /** Borrows a connection, translating failures to {@code source_unreachable}. */
  public Connection connection(Pool pool) {
    try {
      return pool.dataSource().getConnection();
    } catch (SQLException e) {
      throw new LensgateException(ErrorCode.SOURCE_UNREACHABLE, "the source database is unreachable", e);
    }
  }

  /** Drops a source's pool, e.g. after its credentials changed. */
  public void evict(String envId, String sourceName) {
    Pool p = pools.remove(envId + "\u0000" + sourceName);
    if (p != null) {
      p.dataSource().close();
    }
  }

  private Pool open(String envId, String sourceName) {
    SourceConnection c = resolver.resolve(envId, sourceName);
    char[] password = c.password();
    try {
      HikariConfig hc = new HikariConfig();
      hc.setPoolName("lensgate-source-" + sourceName);
      hc.setJdbcUrl(c.jdbcUrl());
      hc.setUsername(c.user());
      hc.setPassword(new String(password));
      hc.setMaximumPoolSize(maxPoolSize);
      hc.setMinimumIdle(0);
      hc.setConnectionTimeout(connectTimeout.toMillis());
      hc.setInitializationFailTimeout(-1);
      hc.setReadOnly(true);
      hc.setAutoCommit(true);
      return new Pool(new HikariDataSource(hc), c.dialect());
    } catch (RuntimeException e) {
      throw new LensgateException(ErrorCode.SOURCE_UNREACHABLE, "the source database could not be configured", e);
    } finally {
      java.util.Arrays.fill(password, '\0');
      c.wipe();
    }
  }

  @Override
  public void close() {
    pools.values().forEach(p -> p.dataSource().close());
    pools.clear();
  }
}
