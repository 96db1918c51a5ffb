package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every stream socket of one client family shares: the HTTP client that opens them, the
 * {@code ws(s)://…/v1/stream} address, codecs, clock, backoff bounds, keepalive ping interval, the
 * scheduler (reconnects, pings) and the executor listener callbacks run on.
 */
record StreamSettings(HttpClient http, URI streamUri, Duration connectTimeout, JsonTree json, Clock clock,
    Duration backoffBase, Duration backoffCap, Duration pingInterval, ScheduledExecutorService scheduler,
    Executor callbacks) {

  /** {@code http(s)://host/prefix} → {@code ws(s)://host/prefix/v1/stream}. */
  static URI streamUri(URI baseUrl) {
    String s = baseUrl.toString();
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create("ws" + s.substring("http".length()) + "/v1/stream");
  }

  StreamBackoff newBackoff() {
    return new StreamBackoff(backoffBase, backoffCap, new Random());
  }

  /** The contract envelope's {@code error.code} in a refused upgrade's body, if the JDK kept one. */
  static String envelopeCode(JsonTree json, Object body) {
    byte[] bytes = body instanceof String ? ((String) body).getBytes(StandardCharsets.UTF_8)
        : body instanceof byte[] ? (byte[]) body : null;
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    try {
      JsonNode code = json.read(bytes).path("error").path("code");
      return code.isTextual() && code.textValue().matches("[a-z][a-z0-9_]{0,63}") ? code.textValue() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
