package dev.lensgate.core.index;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random lens schemas (names that look like the index's reserved fields included), rows and
 * {@link Filter} trees built directly as ASTs, from small value pools so comparisons hit stored
 * values: empty strings, supplementary characters, U+0000, unpaired surrogates and strings too
 * long to be Lucene terms; decimals of every scale (1.5 = 1.50, 1E+3 = 1000, 35-digit and
 * 1E-30); Long.MIN/MAX; Instant.MIN/MAX and nanosecond instants; LocalDate.MIN/MAX; NULLs both as
 * null values and as missing keys.
 */
final class RandomFilters {
  static final String[] ALPHABET = {
      "a", "A", "b", "B", "z", "Z", " ", "%", "_", "\\", "é", "É", "日", "\uFFFD", "\uE000", "😀", "𝔸", "\u0000"};
  private static final String[] NAMES = {
      "_id", "_present", "_row", "_text", "_vec", "_hash", "name", "x1", "Price", "f", "when", "day", "ok", "n_2"};
  private static final Long[] LONGS = {
      Long.MIN_VALUE, Long.MIN_VALUE + 1, -3L, -1L, 0L, 1L, 2L, 3L, Long.MAX_VALUE - 1, Long.MAX_VALUE};
  private static final String[] DECIMALS = {
      "-1.5", "0", "0.000", "-0", "0.0001", "1.5", "1.50", "2.125", "1E+3", "1000", "1000.0", "-1E+3", "1E-30",
      "-1E-30", "99999999999999999999999999999999999.999999999999999999999999999999",
      "-99999999999999999999999999999999999.999999999999999999999999999999", "123456789012345678901234567890.5",
      "0.999999999999999999999999999999", "1", "1.2", "1.25", "12", "-1.2", "-1.25", "-12", "0.12", "-0.125"};
  private static final Instant[] INSTANTS = {
      Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
      Instant.parse("2024-02-29T12:00:00.123456Z"), Instant.parse("2024-02-29T12:00:00.123456001Z"),
      Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.ofEpochSecond(-1)};
  private static final LocalDate[] DATES = {
      LocalDate.MIN, LocalDate.MAX, LocalDate.of(1970, 1, 1), LocalDate.of(1969, 12, 31), LocalDate.of(2024, 2, 29),
      LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31)};

  private final Random random;

  RandomFilters(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  LensSchema schema() {
    List<String> names = new ArrayList<>(List.of(NAMES));
    java.util.Collections.shuffle(names, random);
    int n = 2 + random.nextInt(5);
    List<LensField> fields = new ArrayList<>();
    FieldType[] types = FieldType.values();
    for (int i = 0; i < n; i++) {
      FieldType type = i == 0 ? (random.nextBoolean() ? FieldType.INTEGER : FieldType.STRING) : types[random.nextInt(types.length)];
      fields.add(new LensField(names.get(i), "c" + i, type));
    }
    return new LensSchema("things", null, "t", fields.get(0).name(), fields);
  }

  /** Rows with unique primary keys; some fields NULL, some keys missing. */
  List<Map<String, Object>> rows(LensSchema lens, int maxRows) {
    int n = 1 + random.nextInt(maxRows);
    List<Map<String, Object>> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (LensField f : lens.fields().values()) {
        if (f.name().equals(lens.primaryKey())) {
          row.put(f.name(), f.type() == FieldType.INTEGER ? (Object) (long) i : "k" + i);
          continue;
        }
        int r = random.nextInt(6);
        if (r == 0) {
          row.put(f.name(), null);
        } else if (r == 1 && random.nextBoolean()) {
          continue; // missing key: NULL too
        } else {
          row.put(f.name(), storedValue(f.type()));
        }
      }
      rows.add(row);
    }
    return rows;
  }

  Object storedValue(FieldType type) {
    switch (type) {
      case STRING: return storedString();
      case INTEGER: return pick(LONGS);
      case NUMBER: return new BigDecimal(pick(DECIMALS));
      case BOOLEAN: return random.nextBoolean();
      case TIMESTAMP: return pick(INSTANTS);
      case DATE: return pick(DATES);
      default: throw new IllegalStateException();
    }
  }

  private String storedString() {
    int r = random.nextInt(20);
    if (r == 0) {
      // Too long to be a term (over 32766 UTF-8 bytes), sharing prefixes with short values.
      return string() + (random.nextBoolean() ? "日" : "a").repeat(11_000) + string();
    }
    if (r == 1) {
      return string() + (random.nextBoolean() ? "\uD800" : "\uDC00") + string();
    }
    return string();
  }

  String string() {
    int len = random.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      b.append(pick(ALPHABET));
    }
    return b.toString();
  }

  /** A filter value of {@code type}: mostly stored values, sometimes others. */
  Object filterValue(FieldType type) {
    if (type == FieldType.STRING && random.nextInt(8) == 0) {
      // Long bounds and literals (what the parser allows: up to 4096 chars), around the stored long values.
      return string() + (random.nextBoolean() ? "日" : "a").repeat(200 + random.nextInt(3800)) + string();
    }
    if (type == FieldType.INTEGER && random.nextInt(4) == 0) {
      return (long) random.nextInt(7) - 3;
    }
    if (type == FieldType.TIMESTAMP && random.nextInt(4) == 0) {
      Instant i = pick(INSTANTS);
      if (!i.equals(Instant.MIN) && !i.equals(Instant.MAX)) {
        return i.plusNanos(random.nextBoolean() ? 1 : -1);
      }
    }
    return storedValue(type);
  }

  Filter filter(LensSchema lens, int depth) {
    int r = depth <= 0 ? 10 : random.nextInt(14);
    switch (r) {
      case 0:
      case 1:
        return new Filter.And(children(lens, depth));
      case 2:
      case 3:
        return new Filter.Or(children(lens, depth));
      case 4:
      case 5:
        return new Filter.Not(filter(lens, depth - 1));
      default:
        return leaf(lens);
    }
  }

  private List<Filter> children(LensSchema lens, int depth) {
    int n = 1 + random.nextInt(3);
    List<Filter> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(filter(lens, depth - 1));
    }
    return out;
  }

  private Filter leaf(LensSchema lens) {
    List<LensField> fields = new ArrayList<>(lens.fields().values());
    LensField f = fields.get(random.nextInt(fields.size()));
    int r = random.nextInt(f.type() == FieldType.STRING ? 12 : 8);
    switch (r) {
      case 0:
      case 1:
      case 2: {
        Filter.CompareOp[] ops = Filter.CompareOp.values();
        return new Filter.Compare(f.name(), ops[random.nextInt(ops.length)], filterValue(f.type()));
      }
      case 3:
      case 4: {
        int k = random.nextInt(4);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          values.add(filterValue(f.type()));
        }
        return new Filter.In(f.name(), values, random.nextBoolean());
      }
      case 5:
        return new Filter.Exists(f.name(), random.nextBoolean());
      case 6:
        return random.nextInt(3) == 0 ? new Filter.MatchNone() : new Filter.MatchAll();
      case 7:
        return new Filter.Compare(f.name(), Filter.CompareOp.EQ, filterValue(f.type()));
      case 8:
      case 9:
        return new Filter.Like(f.name(), pattern(), random.nextBoolean());
      default: {
        Filter.TextOp[] ops = Filter.TextOp.values();
        return new Filter.TextMatch(f.name(), ops[random.nextInt(ops.length)], (String) filterValue(FieldType.STRING));
      }
    }
  }

  /** A LIKE pattern from tokens; sometimes one too complex to determinize, or with a lone surrogate. */
  String pattern() {
    if (random.nextInt(25) == 0) {
      return "%" + pick(ALPHABET).replace("\\", "\\\\") + "_".repeat(18) + "%";
    }
    if (random.nextInt(25) == 0) {
      return (random.nextBoolean() ? "%" : "") + "a".repeat(150 + random.nextInt(3000)) + (random.nextBoolean() ? "%" : "_");
    }
    int len = random.nextInt(5);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int r = random.nextInt(12);
      if (r < 2) {
        b.append('%');
      } else if (r < 3) {
        b.append('_');
      } else if (r < 4) {
        b.append(pick(new String[] {"\\%", "\\_", "\\\\", "\\a", "\\日"}));
      } else if (r < 5 && random.nextInt(4) == 0) {
        b.append("\uD800");
      } else {
        String c = pick(ALPHABET);
        b.append("\\".equals(c) ? "\\\\" : c);
      }
    }
    return b.toString();
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
