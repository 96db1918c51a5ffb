package dev.lensgate.runner.e2e;

import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for conditions the tests cannot be told about directly. */
final class Waits {
  private Waits() {}

  /** Polls a condition (not a timing assertion: only a bound on how long to wait for it). */
  static void awaitTrue(Duration max, BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + max.toMillis() + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The server pid of {@code c} (the session that will hold the lock). */
  static int backendPid(Connection c) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Backends waiting for a lock held by {@code lockerPid} (the runner's SELECT behind our LOCK TABLE);
   * by pid, because other tests share this PostgreSQL server.
   */
  static int blockedBy(TestDatabase db, int lockerPid) {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
      ps.setInt(1, lockerPid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (Exception e) {
      throw new AssertionError("cannot read pg_stat_activity", e);
    }
  }
}
