package dev.lensgate.server.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a document's row: a JSON object of field → {@code [tag, text]} that decodes
 * back to the same normalized values (see {@link dev.lensgate.core.where.FieldValues}) in the
 * same order, without needing the lens schema. Tags: {@code s} String, {@code l} Long, {@code d}
 * BigDecimal, {@code b} Boolean, {@code i} Instant, {@code D} LocalDate; JSON null is NULL.
 * Other Java types (not produced by the read path) are widened: Integer/Short → Long, Double/Float
 * → BigDecimal, anything else → its text. Stateless and thread-safe.
 */
final class StoredRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredRows() {}

  static byte[] encode(Map<String, Object> row) {
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, Object> e : row.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        out.putNull(e.getKey());
        continue;
      }
      ArrayNode a = out.putArray(e.getKey());
      if (v instanceof String) {
        a.add("s").add((String) v);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
        a.add("l").add(((Number) v).longValue());
      } else if (v instanceof BigDecimal) {
        a.add("d").add(((BigDecimal) v).toString());
      } else if (v instanceof Double || v instanceof Float) {
        a.add("d").add(new BigDecimal(v.toString()).toString());
      } else if (v instanceof Boolean) {
        a.add("b").add((Boolean) v);
      } else if (v instanceof Instant) {
        a.add("i").add(v.toString());
      } else if (v instanceof LocalDate) {
        a.add("D").add(v.toString());
      } else {
        a.add("s").add(v.toString());
      }
    }
    try {
      return JSON.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> decode(byte[] bytes) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> row = new LinkedHashMap<>(node.size() * 2);
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      row.put(e.getKey(), value(e.getValue()));
    }
    return row;
  }

  private static Object value(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    String tag = n.get(0).asText();
    JsonNode v = n.get(1);
    switch (tag) {
      case "s": return v.asText();
      case "l": return v.asLong();
      case "d": return new BigDecimal(v.asText());
      case "b": return v.asBoolean();
      case "i": return Instant.parse(v.asText());
      case "D": return LocalDate.parse(v.asText());
      default: throw new IllegalStateException("unknown stored value tag " + tag);
    }
  }
}
