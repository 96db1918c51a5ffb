package dev.lensgate.core.where;

import java.util.List;

/** Factories for filter trees built by code (rule merging, keyset pagination, tests). */
public final class Filters {
  private static final Filter MATCH_ALL = new Filter.MatchAll();
  private static final Filter MATCH_NONE = new Filter.MatchNone();

  private Filters() {}

  /**
   * {@code a AND b}. A {@link Filter.MatchAll} operand is dropped; otherwise the result is a new
   * two-child {@link Filter.And} (never flattened, so a rule filter stays a visible, separate
   * conjunct that no client filter can rewrite).
   */
  public static Filter and(Filter a, Filter b) {
    if (a instanceof Filter.MatchAll) {
      return b;
    }
    if (b instanceof Filter.MatchAll) {
      return a;
    }
    return new Filter.And(List.of(a, b));
  }

  public static Filter or(Filter a, Filter b) {
    return new Filter.Or(List.of(a, b));
  }

  public static Filter not(Filter f) {
    return new Filter.Not(f);
  }

  public static Filter matchAll() {
    return MATCH_ALL;
  }

  public static Filter matchNone() {
    return MATCH_NONE;
  }

  /** {@code field = value}, value normalized (see {@link FieldValues}). */
  public static Filter eq(String field, Object value) {
    return new Filter.Compare(field, Filter.CompareOp.EQ, value);
  }

  public static Filter compare(String field, Filter.CompareOp op, Object value) {
    return new Filter.Compare(field, op, value);
  }

  public static Filter isNull(String field) {
    return new Filter.Exists(field, false);
  }

  public static Filter isNotNull(String field) {
    return new Filter.Exists(field, true);
  }
}
