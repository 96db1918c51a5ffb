package dev.lensgate.core.plan;

import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the "strictly after this position" filter for keyset paging as an ordinary {@link Filter},
 * so the SQL and in-memory compilers give it the same meaning as any where clause (exact string
 * comparison included) and it agrees with {@code SqlColumns.sortField}'s order.
 *
 * <p>For keys k1..kn with last-row values v1..vn it is the disjunction over i of
 * (k1 = v1 AND … AND k(i-1) = v(i-1) AND ki beyond vi), where "= NULL" is IS NULL and, because
 * NULL sorts as the largest value, "beyond" is:
 * ascending: {@code k > v OR k IS NULL} (nothing is beyond a NULL);
 * descending: {@code k < v} (beyond a NULL: {@code k IS NOT NULL}).
 */
final class Keyset {
  private Keyset() {}

  static Filter after(List<SortKey> order, KeysetPosition position) {
    List<Object> values = position.values();
    if (values.size() != order.size()) {
      throw new IllegalArgumentException("keyset position does not match orderBy");
    }
    List<Filter> disjuncts = new ArrayList<>(order.size());
    List<Filter> equalPrefix = new ArrayList<>(order.size());
    for (int i = 0; i < order.size(); i++) {
      SortKey key = order.get(i);
      Object v = values.get(i);
      Filter beyond = beyond(key, v);
      if (beyond != null) {
        List<Filter> conj = new ArrayList<>(equalPrefix);
        conj.add(beyond);
        disjuncts.add(conj.size() == 1 ? conj.get(0) : new Filter.And(conj));
      }
      equalPrefix.add(v == null ? Filters.isNull(key.field()) : Filters.eq(key.field(), v));
    }
    if (disjuncts.isEmpty()) {
      return Filters.matchNone();
    }
    return disjuncts.size() == 1 ? disjuncts.get(0) : new Filter.Or(disjuncts);
  }

  /** The condition for "sorts after v on this key", or null when nothing can. */
  private static Filter beyond(SortKey key, Object v) {
    String f = key.field();
    if (key.descending()) {
      return v == null ? Filters.isNotNull(f) : Filters.compare(f, Filter.CompareOp.LT, v);
    }
    return v == null ? null : Filters.or(Filters.compare(f, Filter.CompareOp.GT, v), Filters.isNull(f));
  }
}
