package dev.lensgate.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jackson at the wire: writes request bodies, reads answers into trees, and turns trees into the
 * plain Java values {@link Row} exposes. Decimals are read as {@code BigDecimal} with their
 * trailing zeros, so {@code 9.90} is neither rounded through a double nor shortened.
 */
final class JsonTree {
  private final ObjectMapper mapper;

  JsonTree() {
    this.mapper = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
        .build();
  }

  /** A default mapper for typed rows: tolerant of fields the target type does not declare. */
  static ObjectMapper defaultRowMapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /** Bodies are maps of the closed JSON model ({@link JsonValues}), so writing cannot fail. */
  byte[] write(Map<String, Object> body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException("request body not serialisable", e);
    }
  }

  JsonNode read(byte[] bytes) throws IOException {
    return mapper.readTree(bytes);
  }

  /** An object node as an unmodifiable ordered map (see {@link Row} for the value types). */
  static Map<String, Object> toMap(JsonNode object) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(e.getKey(), toJava(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  static Object toJava(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        return toMap(node);
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          list.add(toJava(item));
        }
        return Collections.unmodifiableList(list);
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        if (node.isIntegralNumber()) {
          return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        return node.decimalValue();
      case NULL:
      case MISSING:
        return null;
      default:
        return node.asText();
    }
  }
}
