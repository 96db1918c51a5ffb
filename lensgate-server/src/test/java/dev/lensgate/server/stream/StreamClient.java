package dev.lensgate.server.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of {@code /v1/stream} on the JDK's WebSocket: frames land in a queue the test
 * polls with timeouts. {@link #pause()} stops requesting frames, so the JDK stops reading the
 * socket and the gateway's writes stall, like an app that stopped consuming.
 */
final class StreamClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean paused;
  private volatile WebSocket ws;

  private StreamClient() {}

  /** Connects with the key (and token) in headers. */
  static StreamClient connect(int port, String apiKey, String userToken) {
    StreamClient c = new StreamClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + apiKey);
    if (userToken != null) {
      b.header("X-User-Token", userToken);
    }
    c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + StreamEndpoint.PATH), c.listener()).join();
    return c;
  }

  /** Connects with {@code ?apiKey=&userToken=}. */
  static StreamClient connectWithQuery(int port, String query) {
    StreamClient c = new StreamClient();
    c.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + StreamEndpoint.PATH + "?" + query),
        c.listener()).join();
    return c;
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      @Override
      public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
      }

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          try {
            frames.add(JSON.readTree(partial.toString()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          partial.setLength(0);
        }
        if (!paused) {
          webSocket.request(1);
        }
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
      }
    };
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  void subscribe(String id, String lens, String whereJson) {
    send("{\"op\":\"subscribe\",\"id\":\"" + id + "\",\"lens\":\"" + lens + "\""
        + (whereJson == null ? "" : ",\"where\":" + whereJson) + "}");
  }

  void observe(String id, String lens, String recordId) {
    send("{\"op\":\"observe\",\"id\":\"" + id + "\",\"lens\":\"" + lens + "\",\"recordId\":\"" + recordId + "\"}");
  }

  /** The next frame, or an assertion failure after {@code timeout}. */
  JsonNode next(Duration timeout) {
    try {
      JsonNode n = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (n == null) {
        throw new AssertionError("no frame within " + timeout);
      }
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Skips frames until one matches, failing after {@code timeout}; returns the skipped ones too via {@code skipped}. */
  JsonNode await(Predicate<JsonNode> p, Duration timeout, List<JsonNode> skipped) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching frame within " + timeout + "; skipped " + skipped.size());
      }
      JsonNode n = next(Duration.ofNanos(left));
      if (p.test(n)) {
        return n;
      }
      skipped.add(n);
    }
  }

  JsonNode await(Predicate<JsonNode> p, Duration timeout) {
    return await(p, timeout, new ArrayList<>());
  }

  /** Frames received so far and not taken. */
  List<JsonNode> drain() {
    List<JsonNode> out = new ArrayList<>();
    frames.drainTo(out);
    return out;
  }

  /** Frames received and not taken yet. */
  int pending() {
    return frames.size();
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    ws.request(Long.MAX_VALUE / 2);
  }

  /** The close status the server sent (-1: connection failed), or an assertion failure after {@code timeout}. */
  int awaitClosed(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("socket not closed within " + timeout, e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  static Predicate<JsonNode> type(String type) {
    return n -> type.equals(n.path("type").asText());
  }

  @Override
  public void close() {
    WebSocket w = ws;
    if (w != null && !w.isOutputClosed()) {
      try {
        w.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        w.abort();
      }
    }
    if (w != null) {
      w.abort();
    }
  }
}
