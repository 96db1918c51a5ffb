package dev.lensgate.server.stream;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A subscriber's view of a lens: rule filter AND client {@code where} (AND primary key = record id,
 * for observe), evaluated on stored rows by {@link InMemoryPredicate}, the compiler that is
 * property-tested against SQL and the search index, so a stream selects exactly the rows a query
 * or search with the same filters would. Stored rows and parsed filters hold the same normalized
 * types ({@code FieldValues}); a value the predicate cannot compare makes the row not match (as
 * search does for a rule-filtered seed). Immutable and thread-safe.
 */
public final class FilterMatcher implements RowMatcher {
  private final Filter filter;
  private final Optional<Map.Entry<String, Object>> requiredEquality;

  private FilterMatcher(Filter filter, Optional<Map.Entry<String, Object>> requiredEquality) {
    this.filter = filter;
    this.requiredEquality = requiredEquality;
  }

  /** A {@code subscribe}: the rule filter (if the grant has one) AND the client's where (if any). */
  public static FilterMatcher of(Optional<Filter> ruleFilter, Optional<Filter> where) {
    Objects.requireNonNull(ruleFilter, "ruleFilter");
    Objects.requireNonNull(where, "where");
    Filter combined = Filters.and(ruleFilter.orElse(Filters.matchAll()), where.orElse(Filters.matchAll()));
    Optional<Map.Entry<String, Object>> equality = ruleFilter.flatMap(FilterMatcher::topLevelEquality);
    return new FilterMatcher(combined, equality.isPresent() ? equality : where.flatMap(FilterMatcher::topLevelEquality));
  }

  /**
   * An {@code observe}: primary key = {@code recordId} (the id's text form, as in change events)
   * AND the rule filter AND the where.
   *
   * @throws LensgateException {@code invalid_request} when the id cannot be a key of this lens
   *     (never echoing it)
   */
  public static FilterMatcher forRecord(LensSchema lens, Optional<Filter> ruleFilter, Optional<Filter> where,
      String recordId) {
    Objects.requireNonNull(recordId, "recordId");
    LensField pk = lens.primaryKeyField();
    Object key;
    try {
      key = FieldValues.fromText(recordId, pk.type());
    } catch (IllegalArgumentException e) {
      throw new LensgateException(ErrorCode.INVALID_REQUEST, "recordId is not a valid primary key of this lens");
    }
    Filter combined = Filters.and(Filters.eq(pk.name(), key),
        Filters.and(ruleFilter.orElse(Filters.matchAll()), where.orElse(Filters.matchAll())));
    return new FilterMatcher(combined, Optional.of(Map.entry(pk.name(), key)));
  }

  @Override
  public boolean matches(Map<String, Object> row) {
    try {
      return InMemoryPredicate.test(filter, row);
    } catch (IllegalArgumentException e) {
      return false; // a value of another type than the filter's: not selected, never an error
    }
  }

  @Override
  public Optional<Map.Entry<String, Object>> requiredEquality() {
    return requiredEquality;
  }

  /** The combined filter this matcher evaluates. */
  public Filter filter() {
    return filter;
  }

  /**
   * A {@code field = value} every matching row must satisfy: a {@code $eq} (or a one-value
   * {@code $in}) among the top-level conjuncts. Nested ANDs count; anything under OR or NOT does
   * not.
   */
  static Optional<Map.Entry<String, Object>> topLevelEquality(Filter f) {
    if (f instanceof Filter.Compare) {
      Filter.Compare c = (Filter.Compare) f;
      return c.op() == Filter.CompareOp.EQ ? Optional.of(Map.entry(c.field(), c.value())) : Optional.empty();
    }
    if (f instanceof Filter.In) {
      Filter.In in = (Filter.In) f;
      return !in.negated() && in.values().size() == 1
          ? Optional.of(Map.entry(in.field(), in.values().get(0))) : Optional.empty();
    }
    if (f instanceof Filter.And) {
      for (Filter child : ((Filter.And) f).children()) {
        Optional<Map.Entry<String, Object>> found = topLevelEquality(child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
