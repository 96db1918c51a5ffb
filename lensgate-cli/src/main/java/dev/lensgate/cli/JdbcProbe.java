package dev.lensgate.cli;

import dev.lensgate.core.crypto.SecretBytes;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code sources connect --test}: opens one JDBC connection with the given credentials and reports
 * what answered. A failure is described by its SQLState and the driver's message with the URL's
 * parameters and the password cut out, so nothing secret is echoed.
 */
final class JdbcProbe {
  private static final int TIMEOUT_SECONDS = 10;
  private static final int MAX_REASON_CHARS = 300;

  /** Outcome of a probe; {@code detail} is safe to print. */
  record Result(boolean ok, String detail) {}

  private JdbcProbe() {}

  static Result probe(String url, String user, SecretBytes password) {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password.length() > 0) {
      props.setProperty("password", password.revealUtf8());
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
      props.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
    } else if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
      props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS * 1000));
    }
    try (Connection c = DriverManager.getConnection(url, props)) {
      DatabaseMetaData meta = c.getMetaData();
      return new Result(true, meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
    } catch (SQLException e) {
      return new Result(false, describe(e, url, password));
    } catch (RuntimeException e) {
      return new Result(false, e.getClass().getSimpleName());
    } finally {
      props.clear();
    }
  }

  /** The URL up to its parameters ({@code ?…} or {@code ;…}), for display. */
  static String withoutParameters(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int i = url.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return url.substring(0, cut);
  }

  static String describe(SQLException e, String url, SecretBytes password) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    message = message.replace(url, withoutParameters(url));
    String query = url.substring(withoutParameters(url).length());
    if (!query.isEmpty()) {
      message = message.replace(query, "");
    }
    if (password.length() > 0 && message.contains(password.revealUtf8())) {
      // A driver quoting the password is a driver bug; say nothing rather than redact piecemeal.
      message = "";
    }
    message = message.replaceAll("\\p{Cntrl}", " ").strip();
    if (message.length() > MAX_REASON_CHARS) {
      message = message.substring(0, MAX_REASON_CHARS) + "...";
    }
    String state = e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ";
    return state + (message.isEmpty() ? e.getClass().getSimpleName() : message);
  }
}
