package dev.lensgate.server.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A runner stand-in on a real socket: the JDK WebSocket client, frames written by hand as JSON so
 * tests can also send what a real runner never would. Records every frame it receives.
 */
final class FakeRunner implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  final List<String> rawReceived = new CopyOnWriteArrayList<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /**
   * Connects with the token in {@code ?token=}; fails with the handshake's exception (e.g. HTTP
   * 401) as the future's cause.
   */
  static CompletableFuture<FakeRunner> connect(int port, String token) {
    return open(HttpClient.newHttpClient().newWebSocketBuilder(),
        URI.create("ws://127.0.0.1:" + port + "/v1/runner/connect?token=" + token));
  }

  /** Connects with {@code Authorization: <authorization>} (what the real runner sends) and no query. */
  static CompletableFuture<FakeRunner> connectWithHeader(int port, String authorization) {
    return open(HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", authorization),
        URI.create("ws://127.0.0.1:" + port + "/v1/runner/connect"));
  }

  private static CompletableFuture<FakeRunner> open(WebSocket.Builder builder, URI uri) {
    FakeRunner r = new FakeRunner();
    return builder.buildAsync(uri, r).thenApply(ws -> {
      r.socket = ws;
      return r;
    });
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    synchronized (partial) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        rawReceived.add(text);
        try {
          received.add(JSON.readTree(text));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    webSocket.request(1);
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

  /** The next frame of {@code type}, skipping others; fails after 10 s. */
  JsonNode next(String type) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      JsonNode f = received.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && type.equals(f.path("type").asText())) {
        return f;
      }
    }
    throw new AssertionError("no " + type + " frame within 10 s; got " + rawReceived);
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  void heartbeat(String... sources) {
    send(JSON.createObjectNode().put("type", "heartbeat").put("version", "test-1")
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("sources", JSON.valueToTree(List.of(sources))).toString());
  }

  /** Drops the TCP connection without a close handshake, like a killed process. */
  void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    if (socket != null) {
      socket.abort();
    }
  }
}
