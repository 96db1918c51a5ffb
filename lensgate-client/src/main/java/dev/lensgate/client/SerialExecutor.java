package dev.lensgate.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: one per subscription, so
 * its listener sees events in order while other subscriptions' listeners run in parallel. One
 * drain task empties the queue, so tasks queued before the shared executor shut down still run.
 * A task that throws does not stop the ones after it (the tasks we submit catch their own).
 */
final class SerialExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

  private final Executor delegate;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean draining; // guarded by this

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      queue.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    submitDrain();
  }

  private void submitDrain() {
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        draining = false;
        queue.clear();
      }
      LOG.log(System.Logger.Level.DEBUG, "stream callback dropped: the client is closed");
    }
  }

  private void drain() {
    boolean emptied = false;
    try {
      while (true) {
        Runnable next;
        synchronized (this) {
          next = queue.poll();
          if (next == null) {
            draining = false;
            emptied = true;
            return;
          }
        }
        try {
          next.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "stream callback failed: " + e.getClass().getName());
        }
      }
    } finally {
      if (!emptied) {
        // An Error escaped a task: hand the rest of the queue to a fresh drain.
        boolean more;
        synchronized (this) {
          more = !queue.isEmpty();
          draining = more;
        }
        if (more) {
          submitDrain();
        }
      }
    }
  }
}
