package dev.lensgate.server.stream;

import dev.lensgate.server.sync.ChangeListener;

/**
 * Carries the changes that sync and ingest apply to the live subscriptions of this process. Fed as
 * the sync's {@link ChangeListener}; an interface so that a cluster bus can carry events between
 * gateways later without the socket layer noticing.
 *
 * <p>Per subscription, events arrive in the order the changes were committed for each record. A
 * subscriber is told about a change only as it sees it through its {@link RowMatcher}: a row
 * entering its view is an insert, leaving it a delete, and a change it could not see before nor
 * after is nothing at all.
 */
public interface StreamHub extends ChangeListener, AutoCloseable {
  /**
   * Starts delivering the events of {@code lens} in {@code envId} that pass {@code matcher} to
   * {@code sink}, until the returned registration is closed.
   */
  Registration register(String envId, String lens, RowMatcher matcher, EventSink sink);

  /** Live registrations of one lens (for caps and status). */
  int liveCount(String envId, String lens);

  /** Stops delivering; pending events are dropped. */
  @Override
  void close();

  /** A live registration; closing it is idempotent and stops delivery promptly. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
