package dev.lensgate.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a rule's map result into a {@code where} JSON object. Accepts exactly
 * {@code {'filter': {<string keys>: <JSON-like values>}}}; any other key, a non-object filter, a
 * non-string map key, a non-finite number, bytes or an unknown value type makes the whole result
 * unusable (the caller denies). The filter's meaning (fields, operators) is checked later by the
 * {@code where} parser, against the lens.
 */
final class RuleFilters {
  private static final String FILTER = "filter";
  private static final int MAX_DEPTH = 32;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RuleFilters() {}

  static Optional<JsonNode> fromResult(Object result) {
    if (!(result instanceof Map)) {
      return Optional.empty();
    }
    Map<?, ?> map = (Map<?, ?>) result;
    if (map.size() != 1 || !(map.get(FILTER) instanceof Map)) {
      return Optional.empty();
    }
    try {
      return Optional.of(toJson(map.get(FILTER), 0));
    } catch (Unusable e) {
      return Optional.empty();
    }
  }

  private static JsonNode toJson(Object v, int depth) throws Unusable {
    if (depth > MAX_DEPTH) {
      throw new Unusable();
    }
    if (v instanceof String) {
      return NODES.textNode((String) v);
    }
    if (v instanceof Boolean) {
      return NODES.booleanNode((Boolean) v);
    }
    if (v instanceof Long || v instanceof Integer) {
      return integral(((Number) v).longValue());
    }
    if (v instanceof UnsignedLong) {
      UnsignedLong u = (UnsignedLong) v;
      return u.bigIntegerValue().bitLength() < 64 ? integral(u.longValue()) : NODES.numberNode(u.bigIntegerValue());
    }
    if (v instanceof Double) {
      double d = (Double) v;
      if (!Double.isFinite(d)) {
        throw new Unusable();
      }
      return NODES.numberNode(d);
    }
    if (v instanceof dev.cel.common.values.NullValue || v instanceof com.google.protobuf.NullValue) {
      return NODES.nullNode();
    }
    if (v instanceof Map) {
      ObjectNode obj = NODES.objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new Unusable();
        }
        obj.set((String) e.getKey(), toJson(e.getValue(), depth + 1));
      }
      return obj;
    }
    if (v instanceof Collection) {
      ArrayNode arr = NODES.arrayNode();
      for (Object item : (Collection<?>) v) {
        arr.add(toJson(item, depth + 1));
      }
      return arr;
    }
    throw new Unusable();
  }

  /** The node Jackson's parser would build for the same literal, so filters compare equal. */
  private static JsonNode integral(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  /** Control flow for "this result cannot be a filter"; no stack trace needed. */
  private static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable() {
      super(null, null, false, false);
    }
  }
}
