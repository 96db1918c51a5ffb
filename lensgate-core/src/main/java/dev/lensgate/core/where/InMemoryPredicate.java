package dev.lensgate.core.where;

import java.util.Map;

/**
 * Evaluates a {@link Filter} against one row in memory (live stream events, tests), with exactly
 * the semantics {@link SqlFilterCompiler} produces on the databases: SQL three-valued logic,
 * code-point string order, exact (binary) string equality, numeric decimal comparison.
 *
 * <p>The row is keyed by lens field names and holds normalized values (see {@link FieldValues});
 * a missing key is NULL. A value of the wrong type for its comparison fails with
 * {@link IllegalArgumentException} rather than guessing: callers treat that as "not selected".
 * Stateless and thread-safe.
 */
public final class InMemoryPredicate {
  private InMemoryPredicate() {}

  /** True only when the filter evaluates to TRUE for the row (FALSE and UNKNOWN do not select). */
  public static boolean test(Filter f, Map<String, Object> row) {
    return f.accept(new Evaluator(row)) == Truth.TRUE;
  }

  /** Kleene three-valued truth. */
  enum Truth {
    TRUE, FALSE, UNKNOWN;

    static Truth of(boolean b) {
      return b ? TRUE : FALSE;
    }

    Truth not() {
      switch (this) {
        case TRUE: return FALSE;
        case FALSE: return TRUE;
        default: return UNKNOWN;
      }
    }
  }

  private static final class Evaluator implements Filter.Visitor<Truth> {
    private final Map<String, Object> row;

    Evaluator(Map<String, Object> row) {
      this.row = row;
    }

    @Override
    public Truth and(Filter.And node) {
      Truth result = Truth.TRUE;
      for (Filter child : node.children()) {
        Truth t = child.accept(this);
        if (t == Truth.FALSE) {
          return Truth.FALSE;
        }
        if (t == Truth.UNKNOWN) {
          result = Truth.UNKNOWN;
        }
      }
      return result;
    }

    @Override
    public Truth or(Filter.Or node) {
      Truth result = Truth.FALSE;
      for (Filter child : node.children()) {
        Truth t = child.accept(this);
        if (t == Truth.TRUE) {
          return Truth.TRUE;
        }
        if (t == Truth.UNKNOWN) {
          result = Truth.UNKNOWN;
        }
      }
      return result;
    }

    @Override
    public Truth not(Filter.Not node) {
      return node.child().accept(this).not();
    }

    @Override
    public Truth compare(Filter.Compare node) {
      Object v = row.get(node.field());
      if (v == null) {
        return Truth.UNKNOWN;
      }
      int c = FieldValues.compare(v, node.value());
      switch (node.op()) {
        case EQ: return Truth.of(c == 0);
        case NE: return Truth.of(c != 0);
        case GT: return Truth.of(c > 0);
        case GTE: return Truth.of(c >= 0);
        case LT: return Truth.of(c < 0);
        case LTE: return Truth.of(c <= 0);
        default: throw new IllegalStateException("unhandled operator " + node.op());
      }
    }

    @Override
    public Truth in(Filter.In node) {
      if (node.values().isEmpty()) {
        // Matches SqlFilterCompiler: an empty list is a constant, even for a NULL field.
        return Truth.of(node.negated());
      }
      Object v = row.get(node.field());
      if (v == null) {
        return Truth.UNKNOWN;
      }
      boolean found = false;
      for (Object candidate : node.values()) {
        if (FieldValues.compare(v, candidate) == 0) {
          found = true;
          break;
        }
      }
      return Truth.of(found != node.negated());
    }

    @Override
    public Truth like(Filter.Like node) {
      String s = text(node.field());
      if (s == null) {
        return Truth.UNKNOWN;
      }
      return Truth.of(LikePattern.parse(node.pattern()).matches(s, node.caseInsensitive()));
    }

    @Override
    public Truth textMatch(Filter.TextMatch node) {
      String s = text(node.field());
      if (s == null) {
        return Truth.UNKNOWN;
      }
      switch (node.op()) {
        case CONTAINS: return Truth.of(s.contains(node.value()));
        case STARTS_WITH: return Truth.of(s.startsWith(node.value()));
        case ENDS_WITH: return Truth.of(s.endsWith(node.value()));
        default: throw new IllegalStateException("unhandled operator " + node.op());
      }
    }

    private String text(String field) {
      Object v = row.get(field);
      if (v == null || v instanceof String) {
        return (String) v;
      }
      throw new IllegalArgumentException("field '" + field + "' does not hold a string");
    }

    @Override
    public Truth exists(Filter.Exists node) {
      return Truth.of((row.get(node.field()) != null) == node.exists());
    }

    @Override
    public Truth matchAll(Filter.MatchAll node) {
      return Truth.TRUE;
    }

    @Override
    public Truth matchNone(Filter.MatchNone node) {
      return Truth.FALSE;
    }
  }
}
