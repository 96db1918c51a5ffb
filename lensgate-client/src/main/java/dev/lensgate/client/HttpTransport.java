package dev.lensgate.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange with a deadline over the whole of it (connect, headers and body) and a bound
 * on the body size. Every failure to get a complete answer becomes a {@link
 * LensgateTransportException}; any status is returned as a {@link Reply} for the caller to judge.
 *
 * <p>The JDK's request timeout stops at the response headers, so a server that stalls mid-body
 * would hang a plain {@code send}; waiting on {@code sendAsync} with our own deadline, and
 * cancelling the body subscription when it passes, covers that.
 */
final class HttpTransport {
  /** Enough to hold any contract error envelope; the rest of a larger error page is not read. */
  static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
  private static final String USER_AGENT = "lensgate-client-java";

  private final HttpClient http;
  private final String base; // scheme://host[:port][/prefix], no trailing slash
  private final Duration timeout;
  private final long maxResponseBytes;

  HttpTransport(HttpClient http, URI baseUrl, Duration timeout, long maxResponseBytes) {
    this.http = http;
    String s = baseUrl.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.timeout = timeout;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** A complete answer of any status. */
  record Reply(int status, HttpHeaders headers, byte[] body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String requestId() {
      return headers.firstValue("X-Request-Id").orElse(null);
    }
  }

  /**
   * @param body JSON bytes, or null for a GET
   * @param credentials null for unauthenticated endpoints (health)
   */
  Reply send(String method, String path, byte[] body, Credentials credentials) {
    String call = method + " " + path;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("User-Agent", USER_AGENT);
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    if (credentials != null) {
      credentials.applyTo(request);
    }
    AtomicReference<BoundedBodySubscriber> reading = new AtomicReference<>();
    HttpResponse.BodyHandler<byte[]> handler = info -> {
      boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
      BoundedBodySubscriber s = ok
          ? new BoundedBodySubscriber(maxResponseBytes, true)
          : new BoundedBodySubscriber(MAX_ERROR_BODY_BYTES, false);
      reading.set(s);
      return s;
    };
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request.build(), handler);
    try {
      HttpResponse<byte[]> response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (TimeoutException e) {
      abort(pending, reading);
      throw LensgateTransportException.timedOut(call, timeout, e);
    } catch (InterruptedException e) {
      abort(pending, reading);
      Thread.currentThread().interrupt();
      throw LensgateTransportException.failed(call, "interrupted", e);
    } catch (ExecutionException e) {
      throw translate(call, e.getCause() == null ? e : e.getCause(), credentials);
    }
  }

  private LensgateTransportException translate(String call, Throwable cause, Credentials credentials) {
    if (cause instanceof HttpTimeoutException) {
      return LensgateTransportException.timedOut(call, timeout, cause);
    }
    if (cause instanceof BoundedBodySubscriber.TooLarge) {
      return LensgateTransportException.failed(call, cause.getMessage(), cause);
    }
    String what = cause instanceof IOException ? "connection failed" : "request failed";
    String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    // JDK messages do not carry headers, but scrubbing costs nothing and survives JDK changes.
    String text = what + " (" + cause.getClass().getSimpleName() + detail + ")";
    return LensgateTransportException.failed(
        call, credentials == null ? text : credentials.scrub(text), cause);
  }

  private static void abort(CompletableFuture<?> pending, AtomicReference<BoundedBodySubscriber> reading) {
    pending.cancel(true);
    BoundedBodySubscriber s = reading.get();
    if (s != null) {
      s.abort();
    }
  }
}
