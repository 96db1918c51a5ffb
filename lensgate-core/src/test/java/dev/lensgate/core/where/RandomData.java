package dev.lensgate.core.where;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random rows of {@link SampleTable#LENS} and random {@code where} trees over it, drawn from small
 * value pools so comparisons hit stored values often: NULLs, trailing spaces, case variants,
 * quotes, backslashes, LIKE wildcards as data, non-ASCII letters, extreme integers and instants.
 */
public final class RandomData {
  /** Characters every database orders and matches identically (BMP, below the surrogates). */
  public static final String[] BMP_ALPHABET = {
      "a", "A", "b", "B", "z", " ", "%", "_", "\\", "!", "'", "\"", ";", "-", "é", "É", "ß", "日", "\t"};
  /** Adds characters where H2 (UTF-16 units) differs from code-point order and matching. */
  public static final String[] WIDE_ALPHABET = {
      "a", "A", "b", " ", "%", "_", "\\", "é", "日", "\uFFFD", "\uE000", "😀", "\uD83D\uDE01", "𝔸"};

  private static final Long[] LONGS = {-3L, -1L, 0L, 1L, 2L, 3L, Long.MIN_VALUE, Long.MAX_VALUE};
  private static final String[] STORED_DECIMALS = {
      "-1.5", "0", "0.0001", "1.5", "1.50", "2.125", "99999999999999999999.9999", "-0.0001", "7"};
  private static final String[] FILTER_DECIMALS = {"1.5", "1.50000", "0.00005", "0", "-0.0001", "2.125", "7.0", "-3"};
  private static final String[] INSTANTS = {
      "1000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z",
      "2024-02-29T12:00:00.123456Z", "2024-02-29T12:00:00.123457Z", "2038-01-19T03:14:08Z",
      "9999-12-31T23:59:59.999999Z"};
  private static final String[] FILTER_INSTANTS = {"0001-01-01T00:00:00Z", "2024-02-29T13:00:00.123456+01:00"};
  private static final String[] DATES = {"1000-01-01", "1970-01-01", "2024-02-29", "2024-03-01", "9999-12-31"};

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Random random;
  private final String[] alphabet;

  public RandomData(long seed, String[] alphabet) {
    this.random = new Random(seed);
    this.alphabet = alphabet;
  }

  public Random random() {
    return random;
  }

  // ---- rows ----

  public List<Map<String, Object>> rows(int maxRows) {
    int n = 4 + random.nextInt(Math.max(1, maxRows - 3));
    List<Map<String, Object>> rows = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      rows.add(SampleTable.row(i,
          maybeNull(this::string),
          maybeNull(this::storedLong),
          maybeNull(() -> new BigDecimal(pick(STORED_DECIMALS))),
          maybeNull(random::nextBoolean),
          maybeNull(() -> Instant.parse(pick(INSTANTS))),
          maybeNull(() -> LocalDate.parse(pick(DATES)))));
    }
    return rows;
  }

  private Long storedLong() {
    return pick(LONGS);
  }

  public String string() {
    int len = random.nextInt(5);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      b.append(pick(alphabet));
    }
    return b.toString();
  }

  private <T> T maybeNull(java.util.function.Supplier<T> s) {
    return random.nextInt(5) == 0 ? null : s.get();
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  // ---- where trees ----

  private static final String[] FIELDS = {"id", "label", "qty", "price", "active", "seenAt", "day"};

  /** A where object of at most {@code depth} logical levels. */
  public ObjectNode where(int depth) {
    ObjectNode o = F.objectNode();
    int entries = 1 + random.nextInt(2);
    for (int i = 0; i < entries; i++) {
      int kind = depth <= 0 ? 0 : random.nextInt(6);
      switch (kind) {
        case 3:
        case 4: {
          ArrayNode arr = o.putArray(kind == 3 ? "$and" : "$or");
          int n = random.nextInt(4);
          for (int j = 0; j < n; j++) {
            arr.add(where(depth - 1));
          }
          break;
        }
        case 5:
          o.set("$not", where(depth - 1));
          break;
        default: {
          String field = pick(FIELDS);
          o.set(field, fieldCondition(field, 2));
        }
      }
    }
    return o;
  }

  private JsonNode fieldCondition(String field, int depth) {
    int r = random.nextInt(10);
    if (r == 0) {
      return F.nullNode();
    }
    if (r <= 2) {
      return value(field);
    }
    ObjectNode ops = F.objectNode();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      addOperator(ops, field, depth);
    }
    return ops;
  }

  private void addOperator(ObjectNode ops, String field, int depth) {
    List<String> choices = new ArrayList<>(List.of("$eq", "$ne", "$in", "$nin", "$exists"));
    if (depth > 0) {
      choices.add("$not");
    }
    if (!"active".equals(field)) {
      choices.addAll(List.of("$gt", "$gte", "$lt", "$lte"));
    }
    if ("label".equals(field)) {
      choices.addAll(List.of("$like", "$ilike", "$contains", "$startsWith", "$endsWith", "$like", "$ilike"));
    }
    String op = choices.get(random.nextInt(choices.size()));
    switch (op) {
      case "$eq":
      case "$ne":
        ops.set(op, random.nextInt(6) == 0 ? F.nullNode() : value(field));
        break;
      case "$in":
      case "$nin": {
        ArrayNode arr = ops.putArray(op);
        int k = random.nextInt(4);
        for (int i = 0; i < k; i++) {
          arr.add(random.nextInt(6) == 0 ? F.nullNode() : value(field));
        }
        break;
      }
      case "$exists":
        ops.put(op, random.nextBoolean());
        break;
      case "$not": {
        ObjectNode inner = F.objectNode();
        addOperator(inner, field, depth - 1);
        ops.set(op, inner);
        break;
      }
      case "$like":
      case "$ilike":
        ops.put(op, pattern());
        break;
      case "$contains":
      case "$startsWith":
      case "$endsWith":
        ops.put(op, string());
        break;
      default:
        ops.set(op, value(field));
    }
  }

  /** A LIKE pattern built from tokens, so it never ends in a dangling escape. */
  public String pattern() {
    int len = random.nextInt(5);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int r = random.nextInt(10);
      if (r < 2) {
        b.append('%');
      } else if (r < 3) {
        b.append('_');
      } else if (r < 4) {
        b.append(pick(new String[] {"\\%", "\\_", "\\\\", "\\a", "\\!"}));
      } else {
        String c = pick(alphabet);
        b.append("\\".equals(c) ? "\\\\" : c);
      }
    }
    return b.toString();
  }

  /** A JSON value of the field's wire type. */
  public JsonNode value(String field) {
    switch (field) {
      case "id":
        return F.numberNode((long) random.nextInt(25) - 2);
      case "qty":
        return random.nextInt(5) == 0 ? F.textNode(String.valueOf(pick(LONGS))) : F.numberNode(pick(LONGS));
      case "price": {
        String d = pick(FILTER_DECIMALS);
        return random.nextBoolean() ? F.textNode(d) : F.numberNode(new BigDecimal(d));
      }
      case "active":
        return F.booleanNode(random.nextBoolean());
      case "seenAt":
        return F.textNode(random.nextInt(4) == 0 ? pick(FILTER_INSTANTS) : pick(INSTANTS));
      case "day":
        return F.textNode(pick(DATES));
      default:
        return F.textNode(string());
    }
  }
}
