package dev.lensgate.server.store;

import dev.lensgate.core.crypto.CredentialBinding;
import dev.lensgate.core.crypto.DecryptionFailedException;
import dev.lensgate.core.crypto.EnvelopeCipher;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Managed source credentials. The password is sealed with {@link EnvelopeCipher} under a binding
 * of (environment id, source name), so a sealed value copied to another row does not open; it is
 * decrypted only in memory by {@link #credentials}. URLs carrying a password are refused, so the
 * secret cannot end up in the one column that is stored in clear.
 *
 * <p>Thread-safe.
 */
public final class SourceStore {
  static final int MAX_PASSWORD_BYTES = 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)[?&;:]password=|//[^/@]*:[^/@]*@");
  private static final String COLUMNS = "id, env_id, name, jdbc_url, db_user, created_at, updated_at";

  private final Jdbc jdbc;
  private final EnvelopeCipher cipher;
  private final Clock clock;
  private final Ids ids = new Ids();

  public SourceStore(DataSource dataSource, EnvelopeCipher cipher, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Stores (or replaces) the credentials of source {@code name} in {@code envId}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} for a bad name, URL, user or password, or an
   *     unknown environment
   */
  public SourceInfo connect(String envId, String name, String jdbcUrl, String user, SecretBytes password) {
    checkName(name);
    checkUrl(jdbcUrl);
    if (user == null || user.length() > 200) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "database user must be at most 200 characters");
    }
    if (password.length() > MAX_PASSWORD_BYTES) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "password is too long");
    }
    String sealed = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(cipher.seal(password, new CredentialBinding(envId, name)));
    Instant now = StoreTime.now(clock);
    jdbc.inTransaction("connect source", c -> {
      if (Jdbc.queryOne(c, "SELECT id FROM environments WHERE id = ?", rs -> rs.getString(1), envId).isEmpty()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "unknown environment");
      }
      int updated = Jdbc.update(c, "UPDATE sources SET jdbc_url = ?, db_user = ?, password_sealed = ?, updated_at = ? "
          + "WHERE env_id = ? AND name = ?", jdbcUrl, user, sealed, now, envId, name);
      if (updated == 0) {
        Jdbc.update(c, "INSERT INTO sources (id, env_id, name, jdbc_url, db_user, password_sealed, created_at, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ids.next(), envId, name, jdbcUrl, user, sealed, now, now);
      }
      return null;
    });
    return find(envId, name).orElseThrow(() -> new IllegalStateException("source vanished after connect"));
  }

  /**
   * The decrypted credentials of {@code name} in {@code envId}.
   *
   * @throws DecryptionFailedException if the stored value was altered or moved from another
   *     environment/source, or was sealed under another master key
   */
  public Optional<SourceCredentials> credentials(String envId, String name) {
    return jdbc.queryOne("read source credentials",
        "SELECT jdbc_url, db_user, password_sealed FROM sources WHERE env_id = ? AND name = ?",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, envId, name)
        .map(row -> new SourceCredentials(envId, name, row[0], row[1], open(row[2], envId, name)));
  }

  private SecretBytes open(String sealed, String envId, String name) {
    byte[] envelope;
    try {
      envelope = Base64.getUrlDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      envelope = new byte[0];
    }
    return cipher.open(envelope, new CredentialBinding(envId, name));
  }

  public Optional<SourceInfo> find(String envId, String name) {
    return jdbc.queryOne("find source", "SELECT " + COLUMNS + " FROM sources WHERE env_id = ? AND name = ?",
        SourceStore::map, envId, name);
  }

  /** Sources of {@code envId}, by name. */
  public List<SourceInfo> list(String envId) {
    return jdbc.query("list sources", "SELECT " + COLUMNS + " FROM sources WHERE env_id = ? ORDER BY name",
        SourceStore::map, envId);
  }

  /** Deletes the source; false if there was none. */
  public boolean remove(String envId, String name) {
    return jdbc.update("remove source", "DELETE FROM sources WHERE env_id = ? AND name = ?", envId, name) > 0;
  }

  /**
   * True if {@code name} is a valid source name: {@code [A-Za-z0-9][A-Za-z0-9_-]{0,62}}. Lets a
   * caller (the CLI) reject a bad name before it opens the store.
   */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private static void checkName(String name) {
    if (!isValidName(name)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "invalid source name (expected [A-Za-z0-9][A-Za-z0-9_-]{0,62})");
    }
  }

  private static void checkUrl(String url) {
    if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("jdbc:") || url.length() > 2000) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "source URL must be a jdbc: URL of at most 2000 characters");
    }
    if (PASSWORD_IN_URL.matcher(url).find()) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST,
          "source URL must not contain a password; pass it separately (--password-stdin)");
    }
  }

  private static SourceInfo map(ResultSet rs) throws SQLException {
    return new SourceInfo(rs.getString("id"), rs.getString("env_id"), rs.getString("name"), rs.getString("jdbc_url"),
        rs.getString("db_user"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
  }
}
