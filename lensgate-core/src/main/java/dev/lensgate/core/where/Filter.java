package dev.lensgate.core.where;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A row filter: the parsed, validated form of a {@code where} object (CONTRACT §4). One tree is
 * compiled three ways (SQL, search index, in-memory) and every compiler must select the same rows,
 * because rule filters are the security boundary.
 *
 * <p>Nodes are immutable records; a tree is changed by building a new one. Field names are lens
 * field names (never columns). Comparison values are already <em>normalized</em> to the field's
 * type, see {@link FieldValues}: STRING → {@code String}, INTEGER → {@code Long}, NUMBER →
 * {@code BigDecimal} (compared numerically), BOOLEAN → {@code Boolean}, TIMESTAMP →
 * {@code Instant}, DATE → {@code LocalDate}. No value is ever {@code null}: a test for NULL is
 * {@link Exists}.
 *
 * <p>Semantics are SQL's three-valued logic: a comparison with a NULL column is UNKNOWN, NOT
 * UNKNOWN is UNKNOWN, and only TRUE selects a row. So {@code $ne}/{@code $nin} never match a row
 * whose field is NULL, exactly as in SQL.
 */
public sealed interface Filter
    permits Filter.And, Filter.Or, Filter.Not, Filter.Compare, Filter.In, Filter.Like,
        Filter.TextMatch, Filter.Exists, Filter.MatchAll, Filter.MatchNone {

  <R> R accept(Visitor<R> visitor);

  /** One method per node; each compiler is one visitor. */
  interface Visitor<R> {
    R and(And node);
    R or(Or node);
    R not(Not node);
    R compare(Compare node);
    R in(In node);
    R like(Like node);
    R textMatch(TextMatch node);
    R exists(Exists node);
    R matchAll(MatchAll node);
    R matchNone(MatchNone node);
  }

  /** Comparison operators with their wire names. */
  enum CompareOp {
    EQ("$eq"), NE("$ne"), GT("$gt"), GTE("$gte"), LT("$lt"), LTE("$lte");

    private final String wire;

    CompareOp(String wire) { this.wire = wire; }

    public String wireName() { return wire; }
  }

  /** Literal (non-pattern) substring tests, case-sensitive. */
  enum TextOp {
    CONTAINS("$contains"), STARTS_WITH("$startsWith"), ENDS_WITH("$endsWith");

    private final String wire;

    TextOp(String wire) { this.wire = wire; }

    public String wireName() { return wire; }
  }

  /** All children must be TRUE. Never empty (an empty conjunction is {@link MatchAll}). */
  record And(List<Filter> children) implements Filter {
    public And {
      children = List.copyOf(children);
      if (children.isEmpty()) {
        throw new IllegalArgumentException("empty And; use MatchAll");
      }
    }

    @Override public <R> R accept(Visitor<R> v) { return v.and(this); }
  }

  /** At least one child must be TRUE. Never empty (an empty disjunction is {@link MatchNone}). */
  record Or(List<Filter> children) implements Filter {
    public Or {
      children = List.copyOf(children);
      if (children.isEmpty()) {
        throw new IllegalArgumentException("empty Or; use MatchNone");
      }
    }

    @Override public <R> R accept(Visitor<R> v) { return v.or(this); }
  }

  /** SQL NOT: TRUE↔FALSE, UNKNOWN stays UNKNOWN. */
  record Not(Filter child) implements Filter {
    public Not {
      Objects.requireNonNull(child, "child");
    }

    @Override public <R> R accept(Visitor<R> v) { return v.not(this); }
  }

  /** {@code field op value}; UNKNOWN when the field is NULL. */
  record Compare(String field, CompareOp op, Object value) implements Filter {
    public Compare {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      FieldValues.requireNormalized(value);
    }

    @Override public <R> R accept(Visitor<R> v) { return v.compare(this); }
  }

  /**
   * {@code field IN (values)} or, when {@code negated}, {@code field NOT IN (values)}. Values are
   * non-null. An empty {@code IN} is FALSE and an empty {@code NOT IN} is TRUE for every row,
   * including rows where the field is NULL (there is nothing to compare against).
   */
  record In(String field, List<Object> values, boolean negated) implements Filter {
    public In {
      Objects.requireNonNull(field, "field");
      List<Object> copy = new ArrayList<>(values.size());
      for (Object value : values) {
        copy.add(FieldValues.requireNormalized(value));
      }
      values = Collections.unmodifiableList(copy);
    }

    @Override public <R> R accept(Visitor<R> v) { return v.in(this); }
  }

  /**
   * SQL LIKE with {@code %} (any run) and {@code _} (one character) wildcards and {@code \} as the
   * escape character. Case-sensitive; with {@code caseInsensitive} both sides are compared with
   * ASCII letters folded to lower case (other letters are compared exactly, identically on every
   * database).
   */
  record Like(String field, String pattern, boolean caseInsensitive) implements Filter {
    public Like {
      Objects.requireNonNull(field, "field");
      LikePattern.parse(pattern); // rejects a dangling escape
    }

    @Override public <R> R accept(Visitor<R> v) { return v.like(this); }
  }

  /** Literal substring test ({@code %}, {@code _} and {@code \} have no special meaning). */
  record TextMatch(String field, TextOp op, String value) implements Filter {
    public TextMatch {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(value, "value");
    }

    @Override public <R> R accept(Visitor<R> v) { return v.textMatch(this); }
  }

  /** {@code field IS NOT NULL} when {@code exists}, else {@code field IS NULL}; never UNKNOWN. */
  record Exists(String field, boolean exists) implements Filter {
    public Exists {
      Objects.requireNonNull(field, "field");
    }

    @Override public <R> R accept(Visitor<R> v) { return v.exists(this); }
  }

  /** TRUE for every row (an absent or empty {@code where}). */
  record MatchAll() implements Filter {
    @Override public <R> R accept(Visitor<R> v) { return v.matchAll(this); }
  }

  /** FALSE for every row. */
  record MatchNone() implements Filter {
    @Override public <R> R accept(Visitor<R> v) { return v.matchNone(this); }
  }
}
