package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Shared test values: sentinel secrets that must never surface, and JSON helpers. */
final class Fixtures {
  static final String API_KEY = "sk_test_SENTINELkey0000000000000000000abc123";
  static final String USER_TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJTRU5USU5FTHVzZXIifQ.SENTINELsig";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static LensgateClient client(ScriptedServer server) {
    return client(server, Duration.ofSeconds(5));
  }

  static LensgateClient client(ScriptedServer server, Duration timeout) {
    return LensgateClient.builder().baseUrl(server.uri()).apiKey(API_KEY).timeout(timeout).build();
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request body as the client writes it on the wire, parsed back. */
  static JsonNode tree(java.util.Map<String, Object> body) {
    return tree(wire(body));
  }

  /** A request body exactly as the client writes it on the wire. */
  static String wire(java.util.Map<String, Object> body) {
    return new String(new JsonTree().write(body), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Single quotes → double quotes, so JSON in tests stays readable. */
  static String q(String json) {
    return json.replace('\'', '"');
  }
}
