package dev.lensgate.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The JDK listener of one stream socket generation: reassembles text frames (bounded), hands
 * each whole frame to its {@link StreamConnection}, and reports the socket's end. A close without
 * a {@code closed} frame counts as a transport drop unless its reason text is a code.
 */
final class StreamSocketListener implements WebSocket.Listener {
  /** A larger gateway frame is treated as a broken connection rather than buffered. */
  static final int MAX_FRAME_CHARS = 16 * 1024 * 1024;
  private static final System.Logger LOG = System.getLogger(StreamSocketListener.class.getName());

  private final int gen;
  private final StreamConnection connection;
  private final StringBuilder partial = new StringBuilder(); // only the JDK's one receive thread at a time

  StreamSocketListener(int gen, StreamConnection connection) {
    this.gen = gen;
    this.connection = connection;
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    connection.heard(gen);
    if (partial.length() + data.length() > MAX_FRAME_CHARS) {
      partial.setLength(0);
      LOG.log(System.Logger.Level.WARNING, "a gateway frame exceeds " + MAX_FRAME_CHARS + " characters; reconnecting");
      connection.lost(gen, CloseReason.connectionLost("frame too large"));
      return null;
    }
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      connection.received(gen, text);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    if (last) {
      LOG.log(System.Logger.Level.WARNING, "ignored a binary frame from the gateway");
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    connection.heard(gen); // the JDK answers with a pong by itself
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
    connection.heard(gen);
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    connection.lost(gen, closeReason(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    connection.lost(gen, CloseReason.connectionLost("stream socket failed (" + StreamFailures.rootName(error) + ")"));
  }

  /** A close without a closed frame: a code-like reason text counts as the code, else a drop. */
  private static CloseReason closeReason(int statusCode, String text) {
    if (text != null && text.matches("[a-z][a-z_]{1,63}")) {
      return CloseReason.fromServer(text, null);
    }
    return CloseReason.connectionLost("the gateway closed the socket (" + statusCode + ")");
  }
}
