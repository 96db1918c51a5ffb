package dev.lensgate.server.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An outlet under the test's control: writes complete at once ({@code autoComplete}) or stay in
 * flight until {@link #completeOne()}, like a peer that stopped reading.
 */
final class FakeOutlet implements Outlet {
  private final List<String> written = new ArrayList<>();
  private final List<Runnable> pending = new ArrayList<>();
  private boolean autoComplete;
  private int maxDepth;
  private int depth;
  private Integer closedStatus;
  private String closedReason;
  private boolean disconnected;
  private int pings;

  FakeOutlet(boolean autoComplete) {
    this.autoComplete = autoComplete;
  }

  @Override
  public void send(String text, Runnable ok, Consumer<Throwable> failed) {
    Runnable complete;
    synchronized (this) {
      written.add(text);
      if (!autoComplete) {
        pending.add(ok);
        return;
      }
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      complete = ok;
    }
    try {
      complete.run();
    } finally {
      synchronized (this) {
        depth--;
      }
    }
  }

  @Override
  public synchronized void close(int status, String reason) {
    closedStatus = status;
    closedReason = reason;
  }

  @Override
  public synchronized void disconnect() {
    disconnected = true;
  }

  void completeOne() {
    Runnable r;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      r = pending.remove(0);
    }
    r.run();
  }

  synchronized void autoComplete(boolean on) {
    autoComplete = on;
  }

  synchronized List<String> written() {
    return new ArrayList<>(written);
  }

  synchronized int maxDepth() {
    return maxDepth;
  }

  synchronized Integer closedStatus() {
    return closedStatus;
  }

  synchronized String closedReason() {
    return closedReason;
  }

  synchronized boolean disconnected() {
    return disconnected;
  }

  @Override
  public synchronized void ping() {
    pings++;
  }

  synchronized int pings() {
    return pings;
  }
}
