package dev.lensgate.core.where;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses a client {@code where} object (CONTRACT §4) into a validated {@link Filter}.
 *
 * <p>Grammar: a where is a JSON object whose keys AND together. A key is a lens field name or one
 * of {@code $and} / {@code $or} (an array of where objects) and {@code $not} (one where object).
 * A field maps to a bare value (equality; JSON {@code null} means IS NULL) or to an operator object
 * whose entries AND together: {@code $eq $ne $gt $gte $lt $lte $in $nin $like $ilike $contains
 * $startsWith $endsWith $exists $not}. {@code $eq: null} is IS NULL, {@code $ne: null} IS NOT NULL;
 * a {@code null} inside {@code $in} also matches NULL, inside {@code $nin} it excludes NULL. An
 * empty object or {@code $and: []} matches every row, {@code $or: []} none; {@code $in: []}
 * matches no row and {@code $nin: []} every row (NULLs included).
 * Values are coerced to the field type here (see {@link FieldValues}); range operators need a
 * non-boolean field, pattern and substring operators a STRING field.
 *
 * <p>Failures: an undeclared field is {@code unknown_field} (the name is sanitized and truncated
 * in the message, never echoed raw); an unknown {@code $operator} is {@code unsupported_operator};
 * every other bad shape or value is {@code invalid_request}. Bounds ({@link WhereLimits}) are
 * checked from container sizes before iterating, and depth before recursing.
 *
 * <p>Stateless and thread-safe.
 */
public final class WhereParser {
  private WhereParser() {}

  /** Parses with {@link WhereLimits#CLIENT}; {@code null}, JSON null or a missing node is match-all. */
  public static Filter parse(JsonNode where, LensSchema lens) {
    return parse(where, lens, WhereLimits.CLIENT);
  }

  public static Filter parse(JsonNode where, LensSchema lens, WhereLimits limits) {
    if (where == null || where.isNull() || where.isMissingNode()) {
      return Filters.matchAll();
    }
    return new Run(lens, limits).where(where, 1);
  }

  /** The {@code unknown_field} failure, with the name made safe to show. */
  public static LensgateException unknownField(String untrustedName) {
    return new LensgateException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + SafeText.name(untrustedName) + "'");
  }

  static LensgateException invalid(String message) {
    return new LensgateException(ErrorCode.INVALID_REQUEST, message);
  }

  /** One parse: carries the lens and the remaining budgets. */
  private static final class Run {
    private final LensSchema lens;
    private final WhereLimits limits;
    private int nodes;
    private int values;

    Run(LensSchema lens, WhereLimits limits) {
      this.lens = lens;
      this.limits = limits;
    }

    Filter where(JsonNode node, int depth) {
      if (!node.isObject()) {
        throw invalid("a where clause must be a JSON object");
      }
      checkDepth(depth);
      checkFanOut(node.size());
      if (node.size() == 0) {
        return node(Filters.matchAll());
      }
      List<Filter> parts = new ArrayList<>(node.size());
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        parts.add(entry(e.getKey(), e.getValue(), depth));
      }
      return parts.size() == 1 ? parts.get(0) : node(new Filter.And(parts));
    }

    private Filter entry(String key, JsonNode value, int depth) {
      if (key.startsWith("$")) {
        switch (key) {
          case "$and":
          case "$or":
            return logical(key, value, depth);
          case "$not":
            if (!value.isObject()) {
              throw invalid("$not expects a where object");
            }
            Filter inner = where(value, depth + 1);
            return node(new Filter.Not(inner));
          default:
            if (Operator.of(key) != null) {
              throw invalid("operator " + key + " must be applied to a field");
            }
            throw unsupported(key);
        }
      }
      LensField field = lens.field(key).orElseThrow(() -> unknownField(key));
      return fieldCondition(field, value, depth);
    }

    private Filter logical(String op, JsonNode value, int depth) {
      if (!value.isArray()) {
        throw invalid(op + " expects an array of where objects");
      }
      checkFanOut(value.size());
      List<Filter> children = new ArrayList<>(value.size());
      for (JsonNode child : value) {
        children.add(where(child, depth + 1));
      }
      boolean and = "$and".equals(op);
      if (children.isEmpty()) {
        // Vacuous truth / falsity, as in SQL's empty AND / OR.
        return node(and ? Filters.matchAll() : Filters.matchNone());
      }
      return node(and ? new Filter.And(children) : new Filter.Or(children));
    }

    private Filter fieldCondition(LensField field, JsonNode value, int depth) {
      if (value.isNull()) {
        return node(new Filter.Exists(field.name(), false));
      }
      if (value.isArray()) {
        throw invalid("field '" + field.name() + "' has an array value; use {\"$in\": [...]}");
      }
      if (!value.isObject()) {
        return compare(field, Filter.CompareOp.EQ, value);
      }
      return operators(field, value, depth + 1);
    }

    private Filter operators(LensField field, JsonNode ops, int depth) {
      checkDepth(depth);
      checkFanOut(ops.size());
      if (ops.size() == 0) {
        throw invalid("field '" + field.name() + "' has an empty operator object");
      }
      List<Filter> parts = new ArrayList<>(ops.size());
      Iterator<Map.Entry<String, JsonNode>> it = ops.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        parts.add(operator(field, e.getKey(), e.getValue(), depth));
      }
      return parts.size() == 1 ? parts.get(0) : node(new Filter.And(parts));
    }

    private Filter operator(LensField field, String key, JsonNode value, int depth) {
      if (!key.startsWith("$")) {
        throw invalid("field '" + field.name() + "' expects operators like $eq; got a nested object");
      }
      Operator op = Operator.of(key);
      if (op == null) {
        if ("$and".equals(key) || "$or".equals(key)) {
          throw invalid(key + " is only allowed at the level of where objects, not inside a field");
        }
        throw unsupported(key);
      }
      if (op.kind == Kind.COMPARE) {
        return compareOp(field, op.compareOp, value);
      }
      switch (op.kind) {
        case IN:
          return inList(field, value, op == Operator.NIN);
        case LIKE:
          return like(field, value, op == Operator.ILIKE, key);
        case TEXT:
          return text(field, value, op.textOp);
        case EXISTS:
          if (!value.isBoolean()) {
            throw invalid("$exists on field '" + field.name() + "' expects true or false");
          }
          return node(new Filter.Exists(field.name(), value.booleanValue()));
        case NOT:
          if (!value.isObject()) {
            throw invalid("$not on field '" + field.name() + "' expects an operator object");
          }
          Filter inner = operators(field, value, depth + 1);
          return node(new Filter.Not(inner));
        default:
          throw new IllegalStateException("unhandled operator " + op);
      }
    }

    private Filter compareOp(LensField field, Filter.CompareOp op, JsonNode value) {
      if (value.isContainerNode()) {
        throw invalid(op.wireName() + " on field '" + field.name() + "' expects a single value");
      }
      if (value.isNull()) {
        if (op == Filter.CompareOp.EQ || op == Filter.CompareOp.NE) {
          return node(new Filter.Exists(field.name(), op == Filter.CompareOp.NE));
        }
        throw invalid(op.wireName() + " on field '" + field.name() + "' cannot compare with null");
      }
      if (op != Filter.CompareOp.EQ && op != Filter.CompareOp.NE && field.type() == FieldType.BOOLEAN) {
        throw invalid(op.wireName() + " needs an ordered field; '" + field.name() + "' is boolean");
      }
      return compare(field, op, value);
    }

    private Filter compare(LensField field, Filter.CompareOp op, JsonNode value) {
      countValues(1);
      Object v = FieldValues.coerce(value, field);
      return node(new Filter.Compare(field.name(), op, v));
    }

    private Filter inList(LensField field, JsonNode list, boolean negated) {
      String op = negated ? "$nin" : "$in";
      if (!list.isArray()) {
        throw invalid(op + " on field '" + field.name() + "' expects an array");
      }
      if (list.size() > limits.maxListSize()) {
        throw invalid(op + " on field '" + field.name() + "' has more than " + limits.maxListSize() + " values");
      }
      countValues(list.size());
      List<Object> vals = new ArrayList<>(list.size());
      boolean sawNull = false;
      for (JsonNode el : list) {
        if (el.isNull()) {
          sawNull = true;
        } else if (el.isContainerNode()) {
          throw invalid(op + " on field '" + field.name() + "' expects an array of plain values");
        } else {
          vals.add(FieldValues.coerce(el, field));
        }
      }
      if (!sawNull) {
        return node(new Filter.In(field.name(), vals, negated));
      }
      // A null element means "is NULL" for $in and "is not NULL" for $nin (not SQL's NULL trap).
      Filter nullPart = node(new Filter.Exists(field.name(), negated));
      if (vals.isEmpty()) {
        return nullPart;
      }
      Filter listPart = node(new Filter.In(field.name(), vals, negated));
      return node(negated ? new Filter.And(List.of(listPart, nullPart)) : new Filter.Or(List.of(listPart, nullPart)));
    }

    private Filter like(LensField field, JsonNode value, boolean caseInsensitive, String op) {
      String pattern = stringOperand(field, value, op);
      try {
        return node(new Filter.Like(field.name(), pattern, caseInsensitive));
      } catch (IllegalArgumentException e) {
        throw invalid(op + " pattern for field '" + field.name() + "' ends with an unescaped backslash");
      }
    }

    private Filter text(LensField field, JsonNode value, Filter.TextOp op) {
      String s = stringOperand(field, value, op.wireName());
      return node(new Filter.TextMatch(field.name(), op, s));
    }

    private String stringOperand(LensField field, JsonNode value, String op) {
      if (field.type() != FieldType.STRING) {
        throw invalid(op + " needs a string field; '" + field.name() + "' is " + field.type().wireName());
      }
      if (!value.isTextual()) {
        throw invalid(op + " on field '" + field.name() + "' expects a string");
      }
      countValues(1);
      return WireValues.checkedString(value.textValue(), field);
    }

    private Filter node(Filter f) {
      if (++nodes > limits.maxNodes()) {
        throw tooLarge();
      }
      return f;
    }

    private void checkFanOut(int size) {
      if (nodes + size > limits.maxNodes()) {
        throw tooLarge();
      }
    }

    private LensgateException tooLarge() {
      return invalid("where clause has more than " + limits.maxNodes() + " conditions");
    }

    private void checkDepth(int depth) {
      if (depth > limits.maxDepth()) {
        throw invalid("where clause nests deeper than " + limits.maxDepth() + " levels");
      }
    }

    private void countValues(int n) {
      values += n;
      if (values > limits.maxValues()) {
        throw invalid("where clause has more than " + limits.maxValues() + " values");
      }
    }
  }

  private static LensgateException unsupported(String op) {
    return new LensgateException(ErrorCode.UNSUPPORTED_OPERATOR, "unsupported operator '" + SafeText.name(op) + "'");
  }

  private enum Kind { COMPARE, IN, LIKE, TEXT, EXISTS, NOT }

  /** Field-level operators. */
  private enum Operator {
    EQ("$eq", Kind.COMPARE, Filter.CompareOp.EQ, null),
    NE("$ne", Kind.COMPARE, Filter.CompareOp.NE, null),
    GT("$gt", Kind.COMPARE, Filter.CompareOp.GT, null),
    GTE("$gte", Kind.COMPARE, Filter.CompareOp.GTE, null),
    LT("$lt", Kind.COMPARE, Filter.CompareOp.LT, null),
    LTE("$lte", Kind.COMPARE, Filter.CompareOp.LTE, null),
    IN("$in", Kind.IN, null, null),
    NIN("$nin", Kind.IN, null, null),
    LIKE("$like", Kind.LIKE, null, null),
    ILIKE("$ilike", Kind.LIKE, null, null),
    CONTAINS("$contains", Kind.TEXT, null, Filter.TextOp.CONTAINS),
    STARTS_WITH("$startsWith", Kind.TEXT, null, Filter.TextOp.STARTS_WITH),
    ENDS_WITH("$endsWith", Kind.TEXT, null, Filter.TextOp.ENDS_WITH),
    EXISTS("$exists", Kind.EXISTS, null, null),
    NOT("$not", Kind.NOT, null, null);

    private final String wire;
    private final Kind kind;
    private final Filter.CompareOp compareOp;
    private final Filter.TextOp textOp;

    Operator(String wire, Kind kind, Filter.CompareOp compareOp, Filter.TextOp textOp) {
      this.wire = wire;
      this.kind = kind;
      this.compareOp = compareOp;
      this.textOp = textOp;
    }

    static Operator of(String key) {
      for (Operator o : values()) {
        if (o.wire.equals(key)) {
          return o;
        }
      }
      return null;
    }
  }
}
