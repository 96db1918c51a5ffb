package dev.lensgate.server.store;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyFormat;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Environments of an organization. A slug is unique per organization and never changes, because
 * it is written into every key of the environment. Thread-safe.
 */
public final class EnvironmentStore {
  private static final String COLUMNS = "id, org_id, slug, created_at";

  private final Jdbc jdbc;
  private final Clock clock;
  private final Ids ids = new Ids();

  public EnvironmentStore(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates environment {@code slug} in {@code orgId}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} for a bad slug, an unknown organization or a
   *     slug already taken in the organization
   */
  public Environment create(String orgId, String slug) {
    if (!ApiKeyFormat.isValidSlug(slug)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "invalid environment slug (expected [a-z0-9][a-z0-9-]{0,62})");
    }
    Environment env = new Environment(ids.next(), orgId, slug, StoreTime.now(clock));
    return jdbc.inTransaction("create environment", c -> {
      if (Jdbc.queryOne(c, "SELECT id FROM orgs WHERE id = ?", rs -> rs.getString(1), orgId).isEmpty()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "unknown organization");
      }
      if (Jdbc.queryOne(c, "SELECT id FROM environments WHERE org_id = ? AND slug = ?", rs -> rs.getString(1),
          orgId, slug).isPresent()) {
        throw new LensgateException(ErrorCode.INVALID_REQUEST, "environment '" + slug + "' already exists");
      }
      try {
        Jdbc.update(c, "INSERT INTO environments (id, org_id, slug, created_at) VALUES (?, ?, ?, ?)",
            env.id(), env.orgId(), env.slug(), env.createdAt());
      } catch (SQLException e) {
        if (Jdbc.isUniqueViolation(e)) {
          throw new LensgateException(ErrorCode.INVALID_REQUEST, "environment '" + slug + "' already exists");
        }
        throw e;
      }
      return env;
    });
  }

  /** The environment {@code slug} of {@code orgId}, created if absent. */
  public Environment ensure(String orgId, String slug) {
    Optional<Environment> existing = findBySlug(orgId, slug);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      return create(orgId, slug);
    } catch (LensgateException e) {
      return findBySlug(orgId, slug).orElseThrow(() -> e);
    }
  }

  /** All environments of {@code orgId}, by slug. */
  public List<Environment> list(String orgId) {
    return jdbc.query("list environments", "SELECT " + COLUMNS + " FROM environments WHERE org_id = ? ORDER BY slug",
        EnvironmentStore::map, orgId);
  }

  public Optional<Environment> findBySlug(String orgId, String slug) {
    return jdbc.queryOne("find environment",
        "SELECT " + COLUMNS + " FROM environments WHERE org_id = ? AND slug = ?", EnvironmentStore::map, orgId, slug);
  }

  public Optional<Environment> findById(String id) {
    return jdbc.queryOne("find environment", "SELECT " + COLUMNS + " FROM environments WHERE id = ?",
        EnvironmentStore::map, id);
  }

  private static Environment map(ResultSet rs) throws SQLException {
    return new Environment(rs.getString("id"), rs.getString("org_id"), rs.getString("slug"), Jdbc.instant(rs, "created_at"));
  }
}
