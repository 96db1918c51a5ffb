package dev.lensgate.server.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Retention of the revocation log ({@code key_revocations}), which otherwise grows by a row per
 * revocation forever. Pollers read it within a fraction of a second ({@link RevocationPoller}) and a
 * starting gateway begins at the current revision, so an entry is only ever needed briefly; one goes
 * once it was both recorded and in effect more than {@link #RETENTION} ago (a rotation's grace can
 * put its effect in the future). A node whose polls failed for that long misses nothing it needs:
 * its key cache expires on its TTL and every later check reads {@code api_keys}. The revision clock
 * is never touched, so revisions stay increasing. Thread-safe.
 */
public final class RevocationLogRetention {
  /** Entries recorded and in effect longer ago than this are deleted. */
  public static final Duration RETENTION = Duration.ofDays(7);

  private final Jdbc jdbc;
  private final Clock clock;

  public RevocationLogRetention(DataSource dataSource, Clock clock) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Deletes the expired entries; returns how many. */
  public int sweepExpired() {
    return RevocationLog.sweep(jdbc, StoreTime.now(clock).minus(RETENTION));
  }
}
