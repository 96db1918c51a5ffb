package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /v1/stream} frames (CONTRACT §6): writes the client's {@code subscribe}, {@code
 * observe} and {@code unsubscribe}, reads the gateway's {@code event}, {@code record}, {@code
 * error} and {@code closed} into {@link ServerFrame}s. A frame that is not one of those shapes
 * throws {@link Malformed}, whose message names the part but never quotes the frame (it may hold
 * row data). Server text that is kept (codes, messages) is scrubbed of the key and token, stripped
 * of control characters and capped.
 */
final class StreamFrames {
  private static final int MAX_CODE_CHARS = 64;
  private static final int MAX_MESSAGE_CHARS = 1000;

  /** A gateway frame, decoded. {@code id} is null where the frame may omit it. */
  sealed interface ServerFrame permits Event, RecordFrame, ErrorFrame, Closed {}

  record Event(String id, ChangeEvent.Kind kind, Map<String, Object> record) implements ServerFrame {}

  /** {@code record} is null when the observed record is absent or not visible. */
  record RecordFrame(String id, Map<String, Object> record) implements ServerFrame {}

  record ErrorFrame(String id, String code, String message) implements ServerFrame {}

  record Closed(String id, String code) implements ServerFrame {}

  /** The frame is not a documented gateway frame. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final JsonTree json;
  private final Credentials credentials;

  StreamFrames(JsonTree json, Credentials credentials) {
    this.json = json;
    this.credentials = credentials;
  }

  String subscribe(String id, String lens, Where where) {
    Map<String, Object> f = frame("subscribe", id);
    f.put("lens", lens);
    if (where != null) {
      f.put("where", where.toMap());
    }
    return write(f);
  }

  /** {@code recordId} is a String or a Long (sent as a JSON number). */
  String observe(String id, String lens, Object recordId) {
    Map<String, Object> f = frame("observe", id);
    f.put("lens", lens);
    f.put("recordId", recordId);
    return write(f);
  }

  String unsubscribe(String id) {
    return write(frame("unsubscribe", id));
  }

  ServerFrame read(String text) throws Malformed {
    JsonNode root;
    try {
      root = json.read(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new Malformed("not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("not a JSON object");
    }
    String type = text(root, "type", true);
    switch (type) {
      case "event":
        return event(root);
      case "record":
        return record(root);
      case "error":
        return new ErrorFrame(text(root, "id", false), code(root), message(root));
      case "closed":
        return new Closed(text(root, "id", false), code(root));
      default:
        throw new Malformed("unknown frame type");
    }
  }

  private Event event(JsonNode root) throws Malformed {
    String kindText = text(root, "kind", true);
    ChangeEvent.Kind kind = ChangeEvent.Kind.ofWire(kindText);
    if (kind == null) {
      throw new Malformed("unknown event kind");
    }
    JsonNode record = root.get("record");
    if (record == null || !record.isObject()) {
      throw new Malformed("event.record is not an object");
    }
    return new Event(text(root, "id", true), kind, JsonTree.toMap(record));
  }

  private RecordFrame record(JsonNode root) throws Malformed {
    JsonNode record = root.get("record");
    Map<String, Object> fields = null;
    if (record != null && !record.isNull()) {
      if (!record.isObject()) {
        throw new Malformed("record.record is not an object or null");
      }
      fields = JsonTree.toMap(record);
    }
    return new RecordFrame(text(root, "id", true), fields);
  }

  private String code(JsonNode root) throws Malformed {
    String code = text(root, "code", true);
    if (code.isEmpty() || code.length() > MAX_CODE_CHARS) {
      throw new Malformed("code is empty or too long");
    }
    return clean(code, MAX_CODE_CHARS);
  }

  /** A code from outside a frame (a handshake refusal's envelope), cleaned like a frame's. */
  String cleanCode(String code) {
    return clean(code, MAX_CODE_CHARS);
  }

  private String message(JsonNode root) {
    JsonNode v = root.get("message");
    return v != null && v.isTextual() && !v.textValue().isBlank() ? clean(v.textValue(), MAX_MESSAGE_CHARS) : null;
  }

  private String clean(String s, int max) {
    String scrubbed = credentials.scrub(s);
    StringBuilder out = new StringBuilder(Math.min(scrubbed.length(), max));
    for (int i = 0; i < scrubbed.length() && out.length() < max; i++) {
      char c = scrubbed.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }

  /** A string field; null when optional and absent or null. Ids are kept verbatim (we chose them). */
  private static String text(JsonNode root, String name, boolean required) throws Malformed {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw new Malformed(name + " is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new Malformed(name + " is not a string");
    }
    return v.textValue();
  }

  private static Map<String, Object> frame(String op, String id) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("op", op);
    f.put("id", id);
    return f;
  }

  private String write(Map<String, Object> frame) {
    return new String(json.write(frame), StandardCharsets.UTF_8);
  }

  /** For callers that want an optional view of an observe frame's record. */
  static Optional<Row> row(RecordFrame frame) {
    return frame.record() == null ? Optional.empty() : Optional.of(new Row(frame.record()));
  }
}
