package dev.lensgate.server.store;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyFormat;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** Organizations. Thread-safe. */
public final class OrganizationStore {
  private static final String COLUMNS = "id, slug, created_at";

  private final Jdbc jdbc;
  private final Clock clock;
  private final Ids ids = new Ids();

  public OrganizationStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Optional<Organization> findById(String id) {
    return jdbc.queryOne("find organization", "SELECT " + COLUMNS + " FROM orgs WHERE id = ?",
        OrganizationStore::map, id);
  }

  public Optional<Organization> findBySlug(String slug) {
    return jdbc.queryOne("find organization", "SELECT " + COLUMNS + " FROM orgs WHERE slug = ?",
        OrganizationStore::map, slug);
  }

  /** The organization with {@code slug}, created if absent (safe to race: the loser re-reads). */
  public Organization ensure(String slug) {
    if (!ApiKeyFormat.isValidSlug(slug)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "invalid organization slug (expected [a-z0-9][a-z0-9-]{0,62})");
    }
    Optional<Organization> existing = findBySlug(slug);
    if (existing.isPresent()) {
      return existing.get();
    }
    Organization org = new Organization(ids.next(), slug, StoreTime.now(clock));
    try {
      jdbc.update("create organization", "INSERT INTO orgs (id, slug, created_at) VALUES (?, ?, ?)",
          org.id(), org.slug(), org.createdAt());
      return org;
    } catch (StoreException e) {
      if (Jdbc.isUniqueViolation(e)) {
        return findBySlug(slug).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  private static Organization map(ResultSet rs) throws SQLException {
    return new Organization(rs.getString("id"), rs.getString("slug"), Jdbc.instant(rs, "created_at"));
  }
}
