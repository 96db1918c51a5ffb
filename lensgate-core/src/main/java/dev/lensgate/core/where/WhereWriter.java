package dev.lensgate.core.where;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * Writes a {@link Filter} back as a {@code where} object in one canonical form, so that
 * {@code WhereParser.parse(WhereWriter.toJson(f), lens, WhereLimits.MERGED)} equals {@code f}.
 * Used to ship filters to runners (which parse and re-validate them) and to fingerprint queries
 * for cursors: equal trees give byte-identical JSON.
 *
 * <p>Canonical form: every conjunction is {@code $and}, every comparison an operator object
 * ({@code {"f": {"$eq": v}}}), {@link Filter.MatchAll} is {@code {}}, {@link Filter.MatchNone} is
 * {@code {"$or": []}}. Decimals are written as strings so no JSON reader can round them through a
 * {@code double}; instants and dates as ISO-8601 strings.
 */
public final class WhereWriter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private WhereWriter() {}

  public static ObjectNode toJson(Filter filter) {
    return filter.accept(Writer.INSTANCE);
  }

  private static final class Writer implements Filter.Visitor<ObjectNode> {
    static final Writer INSTANCE = new Writer();

    @Override
    public ObjectNode and(Filter.And node) {
      return logical("$and", node.children());
    }

    @Override
    public ObjectNode or(Filter.Or node) {
      return logical("$or", node.children());
    }

    private ObjectNode logical(String op, java.util.List<Filter> children) {
      ArrayNode arr = F.arrayNode(children.size());
      for (Filter c : children) {
        arr.add(c.accept(this));
      }
      ObjectNode o = F.objectNode();
      o.set(op, arr);
      return o;
    }

    @Override
    public ObjectNode not(Filter.Not node) {
      ObjectNode o = F.objectNode();
      o.set("$not", node.child().accept(this));
      return o;
    }

    @Override
    public ObjectNode compare(Filter.Compare node) {
      return field(node.field(), node.op().wireName(), value(node.value()));
    }

    @Override
    public ObjectNode in(Filter.In node) {
      ArrayNode arr = F.arrayNode(node.values().size());
      for (Object v : node.values()) {
        arr.add(value(v));
      }
      return field(node.field(), node.negated() ? "$nin" : "$in", arr);
    }

    @Override
    public ObjectNode like(Filter.Like node) {
      return field(node.field(), node.caseInsensitive() ? "$ilike" : "$like", F.textNode(node.pattern()));
    }

    @Override
    public ObjectNode textMatch(Filter.TextMatch node) {
      return field(node.field(), node.op().wireName(), F.textNode(node.value()));
    }

    @Override
    public ObjectNode exists(Filter.Exists node) {
      return field(node.field(), "$exists", F.booleanNode(node.exists()));
    }

    @Override
    public ObjectNode matchAll(Filter.MatchAll node) {
      return F.objectNode();
    }

    @Override
    public ObjectNode matchNone(Filter.MatchNone node) {
      ObjectNode o = F.objectNode();
      o.set("$or", F.arrayNode());
      return o;
    }

    private static ObjectNode field(String field, String op, JsonNode operand) {
      ObjectNode ops = F.objectNode();
      ops.set(op, operand);
      ObjectNode o = F.objectNode();
      o.set(field, ops);
      return o;
    }

    private static JsonNode value(Object v) {
      if (v instanceof BigDecimal) {
        return F.textNode(FieldValues.toText(v));
      }
      return FieldValues.toJson(v);
    }
  }
}
