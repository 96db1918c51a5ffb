package dev.lensgate.server.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body split into {@code \n}-terminated lines for a consumer on another thread, with
 * bounded memory: a line longer than {@code maxLineBytes} cancels the subscription (the connection
 * is dropped) and ends the lines with {@link BoundedBody.TooLarge}; more of the body is requested
 * only while fewer than {@value #MAX_QUEUED_LINES} lines wait, so a slow consumer slows the peer
 * (TCP backpressure) instead of growing a buffer. A last line without {@code \n} is still handed
 * over (an error envelope has none).
 *
 * <p>The body is available as soon as the headers are ({@link #getBody()} completes at once), so
 * {@code sendAsync} returns before the stream ends. One consumer thread calls {@link #next}.
 */
final class NdjsonLines implements HttpResponse.BodySubscriber<NdjsonLines> {
  static final int MAX_QUEUED_LINES = 4;

  /** What {@link #next} hands over. */
  sealed interface Item permits Line, End, Broken {}

  /** One line, without its {@code \n}. */
  record Line(byte[] bytes) implements Item {}

  /** The body ended normally; no more lines. */
  record End() implements Item {}

  /** The body failed (connection dropped, line too long); no more lines. */
  record Broken(Throwable cause) implements Item {}

  private final long maxLineBytes;
  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private boolean demandOwed;
  private boolean finished;

  NdjsonLines(long maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive");
    }
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public CompletionStage<NdjsonLines> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    if (finished) {
      s.cancel();
      return;
    }
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    synchronized (this) {
      if (finished) {
        return;
      }
      for (ByteBuffer b : buffers) {
        while (b.hasRemaining()) {
          byte c = b.get();
          if (c == '\n') {
            queue.add(new Line(partial.toByteArray()));
            partial.reset();
          } else if (partial.size() >= maxLineBytes) {
            fail(new BoundedBody.TooLarge());
            return;
          } else {
            partial.write(c);
          }
        }
      }
      if (queue.size() < MAX_QUEUED_LINES) {
        subscription.request(1);
      } else {
        demandOwed = true;
      }
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    if (!finished) {
      finished = true;
      queue.add(new Broken(t));
    }
  }

  @Override
  public synchronized void onComplete() {
    if (finished) {
      return;
    }
    finished = true;
    if (partial.size() > 0) {
      queue.add(new Line(partial.toByteArray()));
      partial.reset();
    }
    queue.add(new End());
  }

  /**
   * The next item, waiting at most until {@code endNanos} ({@link System#nanoTime()} scale).
   *
   * @return null when nothing arrived in time
   * @throws InterruptedException when the waiting thread is interrupted
   */
  Item next(long endNanos) throws InterruptedException {
    Item item = queue.poll(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    synchronized (this) {
      if (demandOwed && !finished && queue.size() < MAX_QUEUED_LINES) {
        demandOwed = false;
        subscription.request(1);
      }
    }
    return item;
  }

  /** Stops reading: the rest of the body is not wanted (the connection is dropped). Idempotent. */
  synchronized void cancel() {
    if (!finished) {
      finished = true;
      partial.reset();
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }

  private void fail(Throwable cause) {
    finished = true;
    partial.reset();
    subscription.cancel();
    queue.add(new Broken(cause));
  }
}
