package dev.lensgate.client;

import java.net.http.WebSocketHandshakeException;

/**
 * Turns a failed dial into a {@link CloseReason}: a refused upgrade (HTTP 401/403) is final, with
 * the envelope's code when the JDK kept the body; anything else is a retryable drop. Texts name
 * exception classes only: JDK messages are harmless today, but nothing here may echo a header.
 */
final class StreamFailures {
  private StreamFailures() {}

  static CloseReason ofDial(Throwable error, JsonTree json, StreamFrames frames) {
    Throwable t = error;
    while (t != null && !(t instanceof WebSocketHandshakeException)) {
      t = t.getCause();
    }
    if (t == null) {
      return CloseReason.connectionLost("cannot open the stream socket (" + rootName(error) + ")");
    }
    WebSocketHandshakeException refused = (WebSocketHandshakeException) t;
    int status = refused.getResponse().statusCode();
    if (status == 401 || status == 403) {
      String code = StreamSettings.envelopeCode(json, refused.getResponse().body());
      return new CloseReason(code != null ? frames.cleanCode(code) : "http_" + status,
          "the gateway refused the stream socket (HTTP " + status + ")", false);
    }
    return CloseReason.connectionLost("the gateway answered the upgrade with HTTP " + status);
  }

  /** The innermost cause's class name. */
  static String rootName(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }
}
