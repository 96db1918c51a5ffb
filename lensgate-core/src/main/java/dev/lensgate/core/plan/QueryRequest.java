package dev.lensgate.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.SafeText;
import dev.lensgate.core.where.WhereParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /v1/query/:lens} (CONTRACT §4), checked for shape: {@code where?},
 * {@code orderBy?} ({@code {field, dir}} or a list of them), {@code limit} (1..{@value #MAX_LIMIT};
 * when absent the config's {@code defaults.limit}, else {@value #DEFAULT_LIMIT}), {@code offset?}
 * (0..{@value #MAX_OFFSET}), {@code cursor?}, {@code select?}. {@code offset} and {@code cursor}
 * exclude each other.
 *
 * @param where the client's where object as sent, or {@code null}; parsed by the planner
 * @param orderBy client sort keys without the primary-key tie-breaker; may be empty
 * @param offset {@code null} when not given
 * @param cursor {@code null} when not given
 * @param select fields to return; empty means all declared fields
 */
public record QueryRequest(JsonNode where, List<SortKey> orderBy, int limit, Integer offset, String cursor,
    List<String> select) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_OFFSET = 100_000;
  public static final int MAX_ORDER_BY = 8;

  private static final Set<String> KEYS = Set.of("where", "orderBy", "limit", "offset", "cursor", "select");

  public QueryRequest {
    orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    select = select == null ? List.of() : List.copyOf(select);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw invalid("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset != null && (offset < 0 || offset > MAX_OFFSET)) {
      throw invalid("offset must be between 0 and " + MAX_OFFSET);
    }
    if (offset != null && cursor != null) {
      throw invalid("offset and cursor cannot be combined; a cursor already knows where it is");
    }
    if (orderBy.size() > MAX_ORDER_BY) {
      throw invalid("orderBy has more than " + MAX_ORDER_BY + " keys");
    }
  }

  /** A request with defaults and only a where object (used by reads that are not query). */
  public static QueryRequest of(JsonNode where) {
    return new QueryRequest(where, List.of(), DEFAULT_LIMIT, null, null, List.of());
  }

  /**
   * Parses and validates a query body against the lens: unknown body keys and bad shapes are
   * {@code invalid_request}; fields in {@code where}, {@code orderBy} and {@code select} must be
   * declared ({@code unknown_field}); a {@code where} is fully validated here (see
   * {@link WhereParser}). A {@code null} or JSON-null body is an empty request. A body without
   * {@code limit} gets {@value #DEFAULT_LIMIT}.
   */
  public static QueryRequest parse(JsonNode body, LensSchema lens) {
    return parse(body, lens, DEFAULT_LIMIT);
  }

  /**
   * Like {@link #parse(JsonNode, LensSchema)}, but a body without {@code limit} gets
   * {@code defaultLimit} (the config's {@code defaults.limit}). A {@code limit} in the body still
   * wins and is still capped at {@value #MAX_LIMIT}.
   *
   * @throws IllegalArgumentException if {@code defaultLimit} is outside 1..{@value #MAX_LIMIT}: the
   *     config validator refuses such a default, so this is a programming error, not bad input
   */
  public static QueryRequest parse(JsonNode body, LensSchema lens, int defaultLimit) {
    if (defaultLimit < 1 || defaultLimit > MAX_LIMIT) {
      throw new IllegalArgumentException("defaultLimit must be 1.." + MAX_LIMIT + ", was " + defaultLimit);
    }
    if (body == null || body.isNull() || body.isMissingNode()) {
      return new QueryRequest(null, List.of(), defaultLimit, null, null, List.of());
    }
    if (!body.isObject()) {
      throw invalid("the query body must be a JSON object");
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!KEYS.contains(key)) {
        throw invalid("unknown request field '" + SafeText.name(key) + "'");
      }
    }
    JsonNode where = present(body.get("where"));
    if (where != null && !where.isObject()) {
      throw invalid("where must be a JSON object");
    }
    WhereParser.parse(where, lens);
    List<SortKey> orderBy = orderBy(present(body.get("orderBy")), lens);
    int limit = intValue(present(body.get("limit")), "limit", defaultLimit);
    JsonNode offsetNode = present(body.get("offset"));
    Integer offset = offsetNode == null ? null : intValue(offsetNode, "offset", 0);
    String cursor = cursor(present(body.get("cursor")));
    List<String> select = select(present(body.get("select")), lens);
    return new QueryRequest(where, orderBy, limit, offset, cursor, select);
  }

  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  private static int intValue(JsonNode n, String name, int fallback) {
    if (n == null) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw invalid(name + " must be an integer");
    }
    return n.intValue();
  }

  private static String cursor(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw invalid("cursor must be a string");
    }
    return n.textValue();
  }

  static List<SortKey> orderBy(JsonNode n, LensSchema lens) {
    if (n == null) {
      return List.of();
    }
    List<JsonNode> terms = new ArrayList<>();
    if (n.isObject()) {
      terms.add(n);
    } else if (n.isArray()) {
      if (n.size() > MAX_ORDER_BY) {
        throw invalid("orderBy has more than " + MAX_ORDER_BY + " keys");
      }
      n.forEach(terms::add);
    } else {
      throw invalid("orderBy must be {\"field\": ..., \"dir\": \"asc|desc\"} or a list of them");
    }
    List<SortKey> keys = new ArrayList<>(terms.size());
    Set<String> seen = new HashSet<>();
    for (JsonNode t : terms) {
      SortKey key = sortKey(t, lens);
      if (!seen.add(key.field())) {
        throw invalid("orderBy names field '" + key.field() + "' twice");
      }
      keys.add(key);
    }
    return keys;
  }

  private static SortKey sortKey(JsonNode t, LensSchema lens) {
    if (!t.isObject()) {
      throw invalid("each orderBy term must be an object {\"field\": ..., \"dir\": ...}");
    }
    Iterator<Map.Entry<String, JsonNode>> it = t.fields();
    while (it.hasNext()) {
      String k = it.next().getKey();
      if (!"field".equals(k) && !"dir".equals(k)) {
        throw invalid("unknown orderBy key '" + SafeText.name(k) + "'");
      }
    }
    JsonNode field = t.get("field");
    if (field == null || !field.isTextual()) {
      throw invalid("orderBy term needs a string \"field\"");
    }
    String name = field.textValue();
    if (lens.field(name).isEmpty()) {
      throw WhereParser.unknownField(name);
    }
    JsonNode dir = present(t.get("dir"));
    if (dir == null) {
      return SortKey.asc(name);
    }
    if (!dir.isTextual()) {
      throw invalid("orderBy dir must be \"asc\" or \"desc\"");
    }
    SortKey.Direction d = SortKey.Direction.fromWire(dir.textValue())
        .orElseThrow(() -> invalid("orderBy dir must be \"asc\" or \"desc\""));
    return new SortKey(name, d);
  }

  private static List<String> select(JsonNode n, LensSchema lens) {
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw invalid("select must be an array of field names");
    }
    if (n.size() == 0) {
      throw invalid("select must name at least one field");
    }
    if (n.size() > lens.fields().size()) {
      throw invalid("select names more fields than the lens declares");
    }
    List<String> out = new ArrayList<>(n.size());
    Set<String> seen = new HashSet<>();
    for (JsonNode el : n) {
      if (!el.isTextual()) {
        throw invalid("select must be an array of field names");
      }
      String name = el.textValue();
      if (lens.field(name).isEmpty()) {
        throw WhereParser.unknownField(name);
      }
      if (!seen.add(name)) {
        throw invalid("select names field '" + name + "' twice");
      }
      out.add(name);
    }
    return out;
  }

  static LensgateException invalid(String message) {
    return new LensgateException(ErrorCode.INVALID_REQUEST, message);
  }
}
