package dev.lensgate.server.runner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw runner-side socket for the frame fuzzer: sends text (whole or fragmented) and binary
 * messages exactly as given, records every text frame the gateway sends and the close status.
 * Unlike {@link FakeRunner} it never parses what it receives, so it cannot fail on odd answers.
 */
final class FuzzSocket implements WebSocket.Listener, AutoCloseable {
  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  static FuzzSocket connect(HttpClient client, int port, String token) throws Exception {
    FuzzSocket s = new FuzzSocket();
    s.socket = client.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/runner/connect?token=" + token), s)
        .get(10, TimeUnit.SECONDS);
    return s;
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
        received.add(partial.toString());
        partial.setLength(0);
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

  /** The next text frame whose JSON type is {@code type}, skipping others; fails after 10 s. */
  String next(String type) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      String f = received.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && f.contains("\"type\":\"" + type + "\"")) {
        return f;
      }
    }
    throw new AssertionError("no " + type + " frame within 10 s");
  }

  /** Sends one text message; a send that fails because the gateway already closed is ignored. */
  void sendText(String text) {
    sendQuietly(socket.sendText(text, true));
  }

  /** Sends {@code text} as two fragments of one message, split at {@code at}. */
  /**
   * Sends {@code text} as two fragments split near {@code at}. Never inside a surrogate pair: the JDK
   * client cannot encode half a pair, so the send would fail quietly and nothing would arrive (a
   * fuzz seed that split "😀" hung waiting for a close that had nothing to close on).
   */
  void sendFragmented(String text, int at) {
    int split = at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
        && Character.isLowSurrogate(text.charAt(at)) ? at + 1 : at;
    sendQuietly(socket.sendText(text.substring(0, split), false).thenCompose(ws -> ws.sendText(text.substring(split), true)));
  }

  void sendBinary(byte[] bytes) {
    sendQuietly(socket.sendBinary(ByteBuffer.wrap(bytes), true));
  }

  private static void sendQuietly(CompletableFuture<WebSocket> send) {
    try {
      send.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The gateway may close the socket while the frame is on its way; the close is what we check.
    }
  }

  boolean isOpen() {
    return !closed.isDone() && !socket.isInputClosed();
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
