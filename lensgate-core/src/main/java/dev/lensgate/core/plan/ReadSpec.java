package dev.lensgate.core.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.SafeText;
import dev.lensgate.core.where.WhereLimits;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.core.where.WhereWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A planned read: everything needed to fetch one page, and nothing else (never SQL). It is what a
 * runner receives, so it is plain data: {@link #toJson()} (also Jackson's {@code @JsonValue}) and
 * {@link #fromJson(JsonNode, LensSchema)}, which re-validates everything against the receiver's
 * own lens mapping.
 *
 * <p>Invariants: {@code filter} already contains the rule filter (ANDed in by the planner);
 * {@code orderBy} ends with — or at least contains — the primary key, so the order is total and
 * keyset paging neither repeats nor skips rows; {@code after} has one value per {@code orderBy}
 * key; {@code offset} and {@code after} are not both used.
 *
 * @param lens lens name
 * @param filter the merged filter (rule AND client)
 * @param orderBy sort keys, primary key included
 * @param limit page size, 1..{@value QueryRequest#MAX_LIMIT}
 * @param offset rows to skip, 0..{@value QueryRequest#MAX_OFFSET}
 * @param after keyset position to continue after, if paging by cursor
 * @param select returned fields (never empty)
 */
public record ReadSpec(String lens, Filter filter, List<SortKey> orderBy, int limit, int offset,
    Optional<KeysetPosition> after, List<String> select) {
  /** Client keys plus the primary key. */
  public static final int MAX_SORT_KEYS = QueryRequest.MAX_ORDER_BY + 1;
  private static final Set<String> KEYS = Set.of("lens", "where", "orderBy", "limit", "offset", "after", "select");

  public ReadSpec {
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(after, "after");
    orderBy = List.copyOf(orderBy);
    select = List.copyOf(select);
    if (limit < 1 || limit > QueryRequest.MAX_LIMIT) {
      throw new IllegalArgumentException("limit out of range");
    }
    if (offset < 0 || offset > QueryRequest.MAX_OFFSET) {
      throw new IllegalArgumentException("offset out of range");
    }
    if (offset > 0 && after.isPresent()) {
      throw new IllegalArgumentException("offset and keyset position together");
    }
    if (orderBy.isEmpty() || orderBy.size() > MAX_SORT_KEYS) {
      throw new IllegalArgumentException("orderBy must have 1.." + MAX_SORT_KEYS + " keys");
    }
    if (after.isPresent() && after.get().values().size() != orderBy.size()) {
      throw new IllegalArgumentException("keyset position does not match orderBy");
    }
    if (select.isEmpty()) {
      throw new IllegalArgumentException("select is empty");
    }
    if (new HashSet<>(select).size() != select.size()) {
      throw new IllegalArgumentException("select has duplicates");
    }
    Set<String> sortFields = new HashSet<>();
    for (SortKey k : orderBy) {
      if (!sortFields.add(k.field())) {
        throw new IllegalArgumentException("orderBy has duplicates");
      }
    }
  }

  public ReadSpec withAfter(KeysetPosition position) {
    return new ReadSpec(lens, filter, orderBy, limit, offset, Optional.of(position), select);
  }

  /**
   * Checks this spec against a lens mapping: same lens name, every field declared, the primary
   * key among the sort keys, keyset values of the right types. Filter values were typed when the
   * filter was parsed; {@link #fromJson} parses them again against {@code schema}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} or {@code UNKNOWN_FIELD}
   */
  public void validate(LensSchema schema) {
    if (!schema.name().equals(lens)) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "read spec is for another lens");
    }
    boolean hasPk = false;
    for (int i = 0; i < orderBy.size(); i++) {
      LensField f = declared(schema, orderBy.get(i).field());
      hasPk |= f.name().equals(schema.primaryKey());
      if (after.isPresent()) {
        Object v = after.get().values().get(i);
        if (v != null && !FieldValues.javaType(f.type()).isInstance(v)) {
          throw new LensgateException(ErrorCode.INVALID_REQUEST, "keyset value for '" + f.name() + "' has the wrong type");
        }
      }
    }
    if (!hasPk) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "orderBy must include the primary key");
    }
    for (String s : select) {
      declared(schema, s);
    }
  }

  private static LensField declared(LensSchema schema, String name) {
    return schema.field(name).orElseThrow(() -> WhereParser.unknownField(name));
  }

  /**
   * A digest of what the rows are and how they are ordered (merged filter and orderBy, not the
   * page window), in canonical form: cursors are bound to it so they cannot be replayed against a
   * different query.
   */
  public byte[] queryFingerprint() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("where", WhereWriter.toJson(filter));
    o.set("orderBy", orderByJson());
    try {
      return MessageDigest.getInstance("SHA-256").digest(o.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** The wire form: {@code {lens, where, orderBy:[{field,dir}], limit, offset, after?, select}}. */
  @JsonValue
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("lens", lens);
    o.set("where", WhereWriter.toJson(filter));
    o.set("orderBy", orderByJson());
    o.put("limit", limit);
    o.put("offset", offset);
    after.ifPresent(a -> {
      ArrayNode arr = o.putArray("after");
      for (Object v : a.values()) {
        if (v == null) {
          arr.addNull();
        } else {
          arr.add(FieldValues.toText(v));
        }
      }
    });
    ArrayNode sel = o.putArray("select");
    select.forEach(sel::add);
    return o;
  }

  private ArrayNode orderByJson() {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode(orderBy.size());
    for (SortKey k : orderBy) {
      arr.addObject().put("field", k.field()).put("dir", k.direction().wireName());
    }
    return arr;
  }

  /**
   * Parses the wire form and re-validates it against {@code schema}: the filter is parsed again
   * with {@link WhereParser} ({@link WhereLimits#MERGED}), so values are re-typed and fields
   * re-checked; then {@link #validate}.
   *
   * @throws LensgateException {@code INVALID_REQUEST}, {@code UNKNOWN_FIELD} or
   *     {@code UNSUPPORTED_OPERATOR}
   */
  public static ReadSpec fromJson(JsonNode json, LensSchema schema) {
    if (json == null || !json.isObject()) {
      throw bad("read spec must be a JSON object");
    }
    Iterator<String> names = json.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!KEYS.contains(key)) {
        throw bad("unknown read spec field '" + SafeText.name(key) + "'");
      }
    }
    JsonNode lensNode = json.get("lens");
    if (lensNode == null || !lensNode.isTextual()) {
      throw bad("read spec needs a lens name");
    }
    Filter filter = WhereParser.parse(requireObject(json, "where"), schema, WhereLimits.MERGED);
    JsonNode orderNode = json.get("orderBy");
    if (orderNode == null || !orderNode.isArray() || orderNode.size() > MAX_SORT_KEYS) {
      throw bad("read spec orderBy must be an array of at most " + MAX_SORT_KEYS + " keys");
    }
    List<SortKey> orderBy = new ArrayList<>();
    for (JsonNode term : orderNode) {
      orderBy.addAll(QueryRequest.orderBy(term, schema));
    }
    int limit = intField(json, "limit");
    int offset = intField(json, "offset");
    Optional<KeysetPosition> after = Optional.empty();
    JsonNode afterNode = json.get("after");
    if (afterNode != null && !afterNode.isNull()) {
      after = Optional.of(keyset(afterNode, orderBy, schema));
    }
    JsonNode selectNode = json.get("select");
    if (selectNode == null || !selectNode.isArray() || selectNode.size() > schema.fields().size()) {
      throw bad("read spec select must be an array of declared fields");
    }
    List<String> select = new ArrayList<>();
    for (JsonNode s : selectNode) {
      if (!s.isTextual()) {
        throw bad("read spec select must be an array of field names");
      }
      select.add(s.textValue());
    }
    ReadSpec spec;
    try {
      spec = new ReadSpec(lensNode.textValue(), filter, orderBy, limit, offset, after, select);
    } catch (IllegalArgumentException e) {
      throw bad("read spec is inconsistent: " + e.getMessage());
    }
    spec.validate(schema);
    return spec;
  }

  private static KeysetPosition keyset(JsonNode arr, List<SortKey> orderBy, LensSchema schema) {
    if (!arr.isArray() || arr.size() != orderBy.size()) {
      throw bad("read spec after must have one value per orderBy key");
    }
    List<Object> values = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode v = arr.get(i);
      if (v.isNull()) {
        values.add(null);
        continue;
      }
      if (!v.isTextual()) {
        throw bad("read spec after values must be strings or null");
      }
      LensField f = declared(schema, orderBy.get(i).field());
      try {
        values.add(FieldValues.fromText(v.textValue(), f.type()));
      } catch (IllegalArgumentException e) {
        throw bad("read spec after value for '" + f.name() + "' is not a " + f.type().wireName());
      }
    }
    return new KeysetPosition(values);
  }

  private static JsonNode requireObject(JsonNode json, String key) {
    JsonNode n = json.get(key);
    if (n == null || !n.isObject()) {
      throw bad("read spec " + key + " must be an object");
    }
    return n;
  }

  private static int intField(JsonNode json, String key) {
    JsonNode n = json.get(key);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
      throw bad("read spec " + key + " must be an integer");
    }
    return n.intValue();
  }

  private static LensgateException bad(String message) {
    return new LensgateException(ErrorCode.INVALID_REQUEST, message);
  }
}
