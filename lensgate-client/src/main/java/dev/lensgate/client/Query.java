package dev.lensgate.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/query/:lens}: filter, order, page size and position, projection.
 *
 * <pre>{@code
 * Query q = Query.where(Where.eq("category", "shoes"))
 *     .orderBy("price", Direction.DESC)
 *     .limit(50)
 *     .select("id", "name", "price");
 * }</pre>
 *
 * <p>Immutable: every method returns a new query, so a query can be kept as a constant and
 * shared between threads. Unset parts are left out of the body and take the gateway's defaults
 * ({@code limit} 100). Bounds from the contract are checked here: {@code limit} is 1 to {@value
 * #MAX_LIMIT}, {@code offset} is not negative. The gateway appends the primary key to the order as
 * a tie-breaker, which is what makes cursors stable.
 */
public final class Query {
  /** The contract's maximum page size. */
  public static final int MAX_LIMIT = 1000;

  private static final Query ALL = new Query(List.of(), List.of(), null, null, null, List.of());

  private final List<Where> filters;
  private final List<Order> orderBy;
  private final Integer limit;
  private final Integer offset;
  private final String cursor;
  private final List<String> select;

  private Query(List<Where> filters, List<Order> orderBy, Integer limit, Integer offset,
      String cursor, List<String> select) {
    this.filters = filters;
    this.orderBy = orderBy;
    this.limit = limit;
    this.offset = offset;
    this.cursor = cursor;
    this.select = select;
  }

  /** Every row the caller may see, in the gateway's default order. */
  public static Query all() {
    return ALL;
  }

  /** Rows matching all of {@code filters} (at least one; use {@link #all()} for none). */
  public static Query where(Where... filters) {
    return ALL.and(filters);
  }

  /** This query narrowed by further filters, AND-ed with the ones it has. */
  public Query and(Where... more) {
    Objects.requireNonNull(more, "filters");
    if (more.length == 0) {
      throw new IllegalArgumentException("at least one filter; use Query.all() for no filter");
    }
    List<Where> next = new ArrayList<>(filters);
    for (Where w : more) {
      next.add(Objects.requireNonNull(w, "filter"));
    }
    return new Query(List.copyOf(next), orderBy, limit, offset, cursor, select);
  }

  /** Appends a sort key; call again for secondary keys. */
  public Query orderBy(String field, Direction direction) {
    Where.checkField(field);
    Objects.requireNonNull(direction, "direction");
    List<Order> next = new ArrayList<>(orderBy);
    next.add(new Order(field, direction));
    return new Query(filters, List.copyOf(next), limit, offset, cursor, select);
  }

  /** Appends an ascending sort key. */
  public Query orderBy(String field) {
    return orderBy(field, Direction.ASC);
  }

  /** Page size, 1 to {@value #MAX_LIMIT}. */
  public Query limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
    }
    return new Query(filters, orderBy, limit, offset, cursor, select);
  }

  /** Rows to skip. Prefer cursors for deep paging: offsets get slower and shift under writes. */
  public Query offset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
    return new Query(filters, orderBy, limit, offset, cursor, select);
  }

  /**
   * Continue after a previous page: pass its {@code nextCursor()}. The cursor is bound to the
   * filter and order it came from; with any other, the gateway answers {@code invalid_cursor}.
   */
  public Query cursor(String cursor) {
    Objects.requireNonNull(cursor, "cursor");
    if (cursor.isBlank()) {
      throw new IllegalArgumentException("cursor is blank");
    }
    return new Query(filters, orderBy, limit, offset, cursor, select);
  }

  /** Only these lens fields in each row (at least one). */
  public Query select(String... fields) {
    Objects.requireNonNull(fields, "fields");
    if (fields.length == 0) {
      throw new IllegalArgumentException("select needs at least one field");
    }
    for (String f : fields) {
      Where.checkField(f);
    }
    return new Query(filters, orderBy, limit, offset, cursor, List.copyOf(Arrays.asList(fields)));
  }

  /** The page after one that returned {@code next}: same filter, order, size; position by cursor only. */
  Query nextPage(String next) {
    return new Query(filters, orderBy, limit, null, next, select);
  }

  /** The cursor this query starts from, or null. */
  String cursorOrNull() {
    return cursor;
  }

  /** The JSON body, unset parts omitted. */
  Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (!filters.isEmpty()) {
      body.put("where", Where.allOf(filters).toMap());
    }
    if (!orderBy.isEmpty()) {
      List<Object> order = new ArrayList<>(orderBy.size());
      for (Order o : orderBy) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("field", o.field());
        entry.put("dir", o.direction().wire());
        order.add(entry);
      }
      body.put("orderBy", order);
    }
    putIfSet(body, "limit", limit);
    putIfSet(body, "offset", offset);
    putIfSet(body, "cursor", cursor);
    if (!select.isEmpty()) {
      body.put("select", select);
    }
    return Collections.unmodifiableMap(body);
  }

  static void putIfSet(Map<String, Object> body, String key, Object value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query other && toBody().equals(other.toBody());
  }

  @Override
  public int hashCode() {
    return toBody().hashCode();
  }

  /** Shows the body; a cursor is opaque but position-revealing, so it is shown only as present. */
  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>(toBody());
    shown.computeIfPresent("cursor", (k, v) -> "…");
    return "Query" + shown;
  }

  private record Order(String field, Direction direction) {}
}
