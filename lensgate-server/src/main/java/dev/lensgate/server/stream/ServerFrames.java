package dev.lensgate.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Server → client frames as JSON text (CONTRACT §6): {@code event}, {@code record}, {@code error},
 * {@code closed}. Records are already shaped (declared fields, JSON-friendly values). Thread-safe.
 */
public final class ServerFrames {
  private final ObjectMapper json;

  public ServerFrames(ObjectMapper json) {
    this.json = json;
  }

  public String event(String id, StreamEvent.Kind kind, Map<String, Object> record) {
    ObjectNode n = json.createObjectNode();
    n.put("type", "event");
    n.put("id", id);
    n.put("kind", kind.name().toLowerCase(Locale.ROOT));
    n.set("record", json.valueToTree(record));
    return write(n);
  }

  /** The current row of an observed record; {@code null} when absent or not visible (same answer). */
  public String record(String id, Map<String, Object> record) {
    ObjectNode n = json.createObjectNode();
    n.put("type", "record");
    n.put("id", id);
    if (record == null) {
      n.putNull("record");
    } else {
      n.set("record", json.valueToTree(record));
    }
    return write(n);
  }

  public String error(Optional<String> id, String code, String message) {
    ObjectNode n = json.createObjectNode();
    n.put("type", "error");
    id.ifPresent(i -> n.put("id", i));
    n.put("code", code);
    n.put("message", message);
    return write(n);
  }

  /** A subscription ({@code id} present) or the whole socket ({@code id} empty) ended. */
  public String closed(Optional<String> id, String code) {
    ObjectNode n = json.createObjectNode();
    n.put("type", "closed");
    id.ifPresent(i -> n.put("id", i));
    n.put("code", code);
    return write(n);
  }

  private String write(ObjectNode n) {
    try {
      return json.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      // Shaped rows hold only JSON-friendly values; reaching here is a bug, not bad input.
      throw new IllegalStateException("could not encode a stream frame", e);
    }
  }
}
