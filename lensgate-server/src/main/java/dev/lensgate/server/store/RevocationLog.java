package dev.lensgate.server.store;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyRevocation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * SQL for the cross-process revocation signal ({@code key_revocation_clock}, {@code key_revocations},
 * migration V2): {@link ApiKeyService} appends inside its revoke/rotate transaction,
 * {@link RevocationPoller} reads what is new.
 */
final class RevocationLog {
  /** A logged revocation and its position in the log. */
  record Entry(long revision, KeyRevocation revocation) {}

  private RevocationLog() {}

  /**
   * Appends {@code revocation} as the next revision. Call as the last statement of the transaction:
   * the revision row stays locked until commit, which serializes revocations (so revisions commit in
   * order) and should be held briefly.
   */
  static long append(Connection c, KeyRevocation revocation, Instant recordedAt) throws SQLException {
    Jdbc.update(c, "UPDATE key_revocation_clock SET revision = revision + 1 WHERE id = 1");
    long revision = Jdbc.queryOne(c, "SELECT revision FROM key_revocation_clock WHERE id = 1", rs -> rs.getLong(1))
        .orElseThrow(() -> new SQLException("key_revocation_clock has no row"));
    Jdbc.update(c, "INSERT INTO key_revocations (revision, key_id, key_type, effective_at, recorded_at) "
            + "VALUES (?, ?, ?, ?, ?)", revision, revocation.keyId(), revocation.type().prefix(),
        revocation.effectiveAt(), recordedAt);
    return revision;
  }

  /** The latest committed revision (0 before any revocation). */
  static long currentRevision(Jdbc jdbc) {
    return jdbc.queryOne("read revocation revision", "SELECT revision FROM key_revocation_clock WHERE id = 1",
            rs -> rs.getLong(1))
        .orElseThrow(() -> new StoreException("read revocation revision",
            new SQLException("key_revocation_clock has no row")));
  }

  /** Up to {@code max} entries after {@code revision}, oldest first. */
  static List<Entry> after(Jdbc jdbc, long revision, int max) {
    return jdbc.query("read revocations", "SELECT revision, key_id, key_type, effective_at FROM key_revocations "
        + "WHERE revision > ? ORDER BY revision FETCH FIRST ? ROWS ONLY", RevocationLog::map, revision, max);
  }

  /** Deletes entries recorded and in effect before {@code before}; returns how many. */
  static int sweep(Jdbc jdbc, Instant before) {
    return jdbc.update("sweep revocation log", "DELETE FROM key_revocations WHERE recorded_at < ? AND effective_at < ?",
        before, before);
  }

  private static Entry map(ResultSet rs) throws SQLException {
    KeyType type = KeyType.fromPrefix(rs.getString("key_type"))
        .orElseThrow(() -> new SQLException("unknown key type in key_revocations"));
    return new Entry(rs.getLong("revision"),
        new KeyRevocation(rs.getString("key_id"), type, Jdbc.instant(rs, "effective_at")));
  }
}
