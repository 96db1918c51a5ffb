package dev.lensgate.client;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every callback in arrival order, with the thread it ran on; waits are polls with a timeout. */
class RecordingListener implements SubscriptionListener {
  /** One callback: its name, its argument, and the thread it ran on. */
  record Call(String name, Object value, String thread) {}

  final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

  @Override
  public void onEvent(ChangeEvent event) {
    add("event", event);
  }

  @Override
  public void onRecord(Optional<Row> record) {
    add("record", record);
  }

  @Override
  public void onReconnecting(CloseReason reason) {
    add("reconnecting", reason);
  }

  @Override
  public void onResumed() {
    add("resumed", null);
  }

  @Override
  public void onClosed(CloseReason reason) {
    add("closed", reason);
  }

  private void add(String name, Object value) {
    calls.add(new Call(name, value, Thread.currentThread().getName()));
  }

  /** The next callback, failing the test after the wait. */
  Call next() throws InterruptedException {
    Call c = calls.poll(ScriptedStreamServer.WAIT_SECONDS, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no listener callback arrived");
    }
    return c;
  }

  /** The next callback, which must be {@code name}. */
  Call next(String name) throws InterruptedException {
    Call c = next();
    if (!c.name().equals(name)) {
      throw new AssertionError("expected " + name + " but got " + c.name() + " " + c.value());
    }
    return c;
  }

  ChangeEvent nextEvent() throws InterruptedException {
    return (ChangeEvent) next("event").value();
  }

  CloseReason nextClosed() throws InterruptedException {
    return (CloseReason) next("closed").value();
  }

  @SuppressWarnings("unchecked")
  Optional<Row> nextRecord() throws InterruptedException {
    return (Optional<Row>) next("record").value();
  }
}
