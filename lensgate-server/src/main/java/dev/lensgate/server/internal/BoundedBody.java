package dev.lensgate.server.internal;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected into one array of at most {@code maxBytes}: a longer body cancels the
 * subscription (the connection is dropped) and fails with {@link TooLarge} before growing further.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** The peer sent more than the bound. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("response body over the limit");
    }
  }

  private final long maxBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
  private Flow.Subscription subscription;

  BoundedBody(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  static HttpResponse.BodyHandler<byte[]> handler(long maxBytes) {
    return info -> new BoundedBody(maxBytes);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : buffers) {
      if (out.size() + (long) b.remaining() > maxBytes) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      out.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }
}
