package dev.lensgate.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.SafeText;
import dev.lensgate.core.where.WhereParser;
import java.util.Iterator;
import java.util.Set;

/** Shared checks of search and similar bodies: known keys, limit, minScore, where. Stateless. */
final class RequestFields {
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  private RequestFields() {}

  static void onlyKeys(JsonNode body, Set<String> keys, String what) {
    if (!body.isObject()) {
      throw invalid("the " + what + " body must be a JSON object");
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!keys.contains(key)) {
        throw invalid("unknown request field '" + SafeText.name(key) + "'");
      }
    }
  }

  static JsonNode present(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  static int limit(JsonNode body) {
    JsonNode n = present(body.get("limit"));
    if (n == null) {
      return DEFAULT_LIMIT;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > MAX_LIMIT) {
      throw invalid("limit must be an integer between 1 and " + MAX_LIMIT);
    }
    return n.intValue();
  }

  static double minScore(JsonNode body) {
    JsonNode n = present(body.get("minScore"));
    if (n == null) {
      return 0;
    }
    if (!n.isNumber() || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
      throw invalid("minScore must be a number between 0 and 1");
    }
    return n.doubleValue();
  }

  /** The client's where, parsed with the client limits; match-all when absent. */
  static Filter where(JsonNode body, LensSchema schema) {
    JsonNode where = present(body.get("where"));
    if (where != null && !where.isObject()) {
      throw invalid("where must be a JSON object");
    }
    return WhereParser.parse(where, schema);
  }

  static LensgateException invalid(String message) {
    return new LensgateException(ErrorCode.INVALID_REQUEST, message);
  }
}
