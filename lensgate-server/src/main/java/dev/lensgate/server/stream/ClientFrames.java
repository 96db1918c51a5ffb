package dev.lensgate.server.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.error.ErrorCode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Wire text → {@link ClientFrame}. Strict: unknown keys, wrong types and out-of-range ids are
 * {@code invalid_request}; text that is not JSON is {@code invalid_json}; an op we do not know is
 * {@code unknown_op}. Messages never repeat the client's input. Thread-safe.
 */
public final class ClientFrames {
  public static final int MAX_ID_CHARS = 128;
  public static final int MAX_RECORD_ID_CHARS = 512;
  private static final Set<String> SUBSCRIBE_KEYS = Set.of("op", "id", "lens", "where");
  private static final Set<String> OBSERVE_KEYS = Set.of("op", "id", "lens", "recordId");
  private static final Set<String> UNSUBSCRIBE_KEYS = Set.of("op", "id");

  private final ObjectMapper json;

  public ClientFrames() {
    // Depth is bounded here before the where parser sees the tree (it bounds depth again).
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();
    this.json = new ObjectMapper(factory);
  }

  /** @throws FrameRejected with the code and a message safe to show */
  public ClientFrame parse(String text) {
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new FrameRejected(ErrorCode.INVALID_JSON.code(), "the frame is not valid JSON", Optional.empty());
    }
    if (node == null || !node.isObject()) {
      throw invalid("a frame must be a JSON object", Optional.empty());
    }
    Optional<String> id = readableId(node.get("id"));
    JsonNode op = node.get("op");
    if (op == null || !op.isTextual()) {
      throw invalid("'op' must be a string: subscribe, observe or unsubscribe", id);
    }
    switch (op.textValue()) {
      case "subscribe":
        onlyKeys(node, SUBSCRIBE_KEYS, id);
        return new ClientFrame.Subscribe(requireId(node, id), lens(node, id), where(node, id));
      case "observe":
        onlyKeys(node, OBSERVE_KEYS, id);
        return new ClientFrame.Observe(requireId(node, id), lens(node, id), recordId(node, id));
      case "unsubscribe":
        onlyKeys(node, UNSUBSCRIBE_KEYS, id);
        return new ClientFrame.Unsubscribe(requireId(node, id));
      default:
        throw new FrameRejected(StreamCodes.UNKNOWN_OP, "unknown op; use subscribe, observe or unsubscribe", id);
    }
  }

  /** The id when it is a valid one, so even a rejected frame's error can name its subscription. */
  private static Optional<String> readableId(JsonNode id) {
    if (id == null || !id.isTextual()) {
      return Optional.empty();
    }
    String s = id.textValue();
    return s.isEmpty() || s.length() > MAX_ID_CHARS ? Optional.empty() : Optional.of(s);
  }

  private static String requireId(JsonNode node, Optional<String> id) {
    return id.orElseThrow(() -> invalid("'id' must be a string of 1.." + MAX_ID_CHARS + " characters", Optional.empty()));
  }

  private static String lens(JsonNode node, Optional<String> id) {
    JsonNode lens = node.get("lens");
    if (lens == null || !lens.isTextual() || lens.textValue().isEmpty()) {
      throw invalid("'lens' must be a non-empty string", id);
    }
    return lens.textValue();
  }

  private static Optional<JsonNode> where(JsonNode node, Optional<String> id) {
    JsonNode where = node.get("where");
    if (where == null || where.isNull()) {
      return Optional.empty();
    }
    if (!where.isObject()) {
      throw invalid("'where' must be an object", id);
    }
    return Optional.of(where);
  }

  private static String recordId(JsonNode node, Optional<String> id) {
    JsonNode r = node.get("recordId");
    String text = r == null ? null : r.isTextual() ? r.textValue() : r.isIntegralNumber() ? r.asText() : null;
    if (text == null || text.isEmpty() || text.length() > MAX_RECORD_ID_CHARS) {
      throw invalid("'recordId' must be a string or integer (1.." + MAX_RECORD_ID_CHARS + " characters)", id);
    }
    return text;
  }

  private static void onlyKeys(JsonNode node, Set<String> allowed, Optional<String> id) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      if (!allowed.contains(names.next())) {
        throw invalid("unexpected key in frame; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)), id);
      }
    }
  }

  private static FrameRejected invalid(String message, Optional<String> id) {
    return new FrameRejected(ErrorCode.INVALID_REQUEST.code(), message, id);
  }
}
