package dev.lensgate.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One filter in the contract's {@code where} language, built by the static helpers:
 *
 * <pre>{@code
 * Where.and(Where.eq("category", "shoes"), Where.or(Where.lt("price", 50), Where.eq("onSale", true)))
 * // {"$and":[{"category":{"$eq":"shoes"}},{"$or":[{"price":{"$lt":50}},{"onSale":{"$eq":true}}]}]}
 * }</pre>
 *
 * <p>Field helpers always use the explicit operator form ({@code {"f":{"$eq":v}}}), so a value that
 * is itself a map can never be read as operators. Field names may not start with {@code $}; use
 * {@link #raw(Map)} for anything the helpers do not cover. Values are copied into an immutable JSON
 * model when the filter is built (see {@code JsonValues}); an unsupported value type fails here.
 *
 * <p>Immutable and thread-safe; equal filters are {@link #equals equal}.
 */
public final class Where {
  private final Map<String, Object> json;

  private Where(Map<String, Object> json) {
    this.json = json;
  }

  public static Where eq(String field, Object value) {
    return op(field, "$eq", value);
  }

  public static Where ne(String field, Object value) {
    return op(field, "$ne", value);
  }

  public static Where gt(String field, Object value) {
    return op(field, "$gt", value);
  }

  public static Where gte(String field, Object value) {
    return op(field, "$gte", value);
  }

  public static Where lt(String field, Object value) {
    return op(field, "$lt", value);
  }

  public static Where lte(String field, Object value) {
    return op(field, "$lte", value);
  }

  /** The field equals one of {@code values}; an empty collection matches nothing. */
  public static Where in(String field, Collection<?> values) {
    return op(field, "$in", Objects.requireNonNull(values, "values"));
  }

  public static Where in(String field, Object... values) {
    return in(field, Arrays.asList(Objects.requireNonNull(values, "values")));
  }

  /** The field equals none of {@code values}. */
  public static Where nin(String field, Collection<?> values) {
    return op(field, "$nin", Objects.requireNonNull(values, "values"));
  }

  public static Where nin(String field, Object... values) {
    return nin(field, Arrays.asList(Objects.requireNonNull(values, "values")));
  }

  /** SQL {@code LIKE} pattern ({@code %} and {@code _}), case-sensitive. */
  public static Where like(String field, String pattern) {
    return op(field, "$like", Objects.requireNonNull(pattern, "pattern"));
  }

  /** Like {@link #like} but case-insensitive. */
  public static Where ilike(String field, String pattern) {
    return op(field, "$ilike", Objects.requireNonNull(pattern, "pattern"));
  }

  /** Text containing a substring, or an array containing an element. */
  public static Where contains(String field, Object value) {
    return op(field, "$contains", value);
  }

  public static Where startsWith(String field, String prefix) {
    return op(field, "$startsWith", Objects.requireNonNull(prefix, "prefix"));
  }

  public static Where endsWith(String field, String suffix) {
    return op(field, "$endsWith", Objects.requireNonNull(suffix, "suffix"));
  }

  /** The field is present and not null. */
  public static Where exists(String field) {
    return exists(field, true);
  }

  /** {@code exists(f, false)}: the field is absent or null. */
  public static Where exists(String field, boolean exists) {
    return op(field, "$exists", exists);
  }

  /** All of {@code filters}; at least one. */
  public static Where and(Where... filters) {
    return combine("$and", filters);
  }

  /** Any of {@code filters}; at least one. */
  public static Where or(Where... filters) {
    return combine("$or", filters);
  }

  public static Where not(Where filter) {
    Objects.requireNonNull(filter, "filter");
    return new Where(Collections.singletonMap("$not", filter.json));
  }

  /**
   * A filter given as the contract's JSON object (keys AND-ed, operators as {@code $name}), for
   * anything the helpers do not cover. Copied and checked like helper values; not validated
   * against the operator list (the gateway answers {@code unsupported_operator}).
   */
  public static Where raw(Map<String, ?> json) {
    Objects.requireNonNull(json, "json");
    if (json.isEmpty()) {
      throw new IllegalArgumentException("a raw filter needs at least one key");
    }
    return new Where(JsonValues.normalizeMap(json, 0));
  }

  /** The filter as an unmodifiable JSON-ready map (String, Number, Boolean, null, List, Map). */
  public Map<String, Object> toMap() {
    return json;
  }

  /** Package-private: a query's several filters become one {@code $and}, a single one stays. */
  static Where allOf(List<Where> filters) {
    return filters.size() == 1 ? filters.get(0) : and(filters.toArray(new Where[0]));
  }

  private static Where op(String field, String operator, Object value) {
    checkField(field);
    Map<String, Object> inner = Collections.singletonMap(operator, JsonValues.normalize(value));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put(field, inner);
    return new Where(Collections.unmodifiableMap(outer));
  }

  private static Where combine(String operator, Where[] filters) {
    Objects.requireNonNull(filters, "filters");
    if (filters.length == 0) {
      throw new IllegalArgumentException(operator + " needs at least one filter");
    }
    List<Object> parts = new ArrayList<>(filters.length);
    for (Where w : filters) {
      parts.add(Objects.requireNonNull(w, "filter").json);
    }
    return new Where(Collections.singletonMap(operator, Collections.unmodifiableList(parts)));
  }

  static void checkField(String field) {
    Objects.requireNonNull(field, "field");
    if (field.isBlank()) {
      throw new IllegalArgumentException("field name is blank");
    }
    if (field.startsWith("$")) {
      // A "$or" field would silently change the filter's meaning; operators go through helpers.
      throw new IllegalArgumentException("field name may not start with '$': " + field);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Where other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "Where" + json;
  }
}
