package dev.lensgate.server.execute;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jooq.SQLDialect;

/**
 * What it takes to open a pool to one source: JDBC URL, user and password. The password is held
 * only in memory, only as long as the pool is being built, and never printed.
 */
public final class SourceConnection {
  private final String jdbcUrl;
  private final String user;
  private final char[] password;

  public SourceConnection(String jdbcUrl, String user, char[] password) {
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.user = user == null ? "" : user;
    this.password = password == null ? new char[0] : password.clone();
  }

  public String jdbcUrl() { return jdbcUrl; }

  public String user() { return user; }

  /** A copy of the password; the caller should wipe it after use. */
  public char[] password() { return password.clone(); }

  /** The SQL dialect implied by the JDBC URL. */
  public SQLDialect dialect() {
    String u = jdbcUrl.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:postgresql:")) {
      return SQLDialect.POSTGRES;
    }
    if (u.startsWith("jdbc:mariadb:")) {
      return SQLDialect.MARIADB;
    }
    if (u.startsWith("jdbc:mysql:")) {
      return SQLDialect.MYSQL;
    }
    if (u.startsWith("jdbc:h2:")) {
      return SQLDialect.H2;
    }
    throw new IllegalArgumentException("unsupported JDBC URL scheme (postgresql, mariadb, mysql, h2 are supported)");
  }

  void wipe() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "SourceConnection[" + redactedUrl() + "]";
  }

  /** The URL without its query string (which may carry a password). */
  public String redactedUrl() {
    int q = jdbcUrl.indexOf('?');
    int semi = jdbcUrl.indexOf(';');
    int cut = q < 0 ? semi : (semi < 0 ? q : Math.min(q, semi));
    return cut < 0 ? jdbcUrl : jdbcUrl.substring(0, cut) + "?…";
  }
}
