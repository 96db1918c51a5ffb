package dev.lensgate.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte limit. The peer controls the body, so the limit is
 * enforced while reading, not after: past it, the subscription is cancelled (which closes the
 * connection) and the body either fails ({@code failOnOverflow}, for answers we must read whole)
 * or ends truncated (for error bodies, where a prefix is enough to find the error code or not).
 * {@link #abort()} lets the caller's deadline stop a body that stalls mid-way.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

  /** Thrown through the body future when a must-read-whole answer exceeds its limit. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("answer larger than " + limit + " bytes");
    }
  }

  private final long maxBytes;
  private final boolean failOnOverflow;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private volatile Flow.Subscription subscription;
  private long received; // only touched by the (serialised) onNext calls

  BoundedBodySubscriber(long maxBytes, boolean failOnOverflow) {
    this.maxBytes = maxBytes;
    this.failOnOverflow = failOnOverflow;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      int n = item.remaining();
      if (received + n > maxBytes) {
        subscription.cancel();
        if (failOnOverflow) {
          body.completeExceptionally(new TooLarge(maxBytes));
        } else {
          copy(item, (int) (maxBytes - received));
          body.complete(buffer.toByteArray());
        }
        return;
      }
      copy(item, n);
      received += n;
    }
  }

  private void copy(ByteBuffer item, int n) {
    byte[] chunk = new byte[n];
    item.get(chunk);
    buffer.write(chunk, 0, n);
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    body.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  /** Stops reading (deadline passed); safe from any thread, a no-op once the body is done. */
  void abort() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    body.completeExceptionally(new CancellationException("deadline passed"));
  }
}
