package dev.lensgate.server.shape;

import dev.lensgate.core.config.LensConfig;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape step: rows leave the gateway with the lens's declared fields only (the executor
 * already read nothing else), each value passed through the field's transforms and rendered as a
 * JSON-friendly value (times as ISO-8601 text, decimals exact).
 */
public final class RowShaper {
  private RowShaper() {}

  public static List<Map<String, Object>> shape(LensConfig lens, List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      Map<String, Object> shaped = new LinkedHashMap<>(row.size() * 2);
      for (Map.Entry<String, Object> e : row.entrySet()) {
        if (lens.schema().fields().containsKey(e.getKey())) {
          shaped.put(e.getKey(), jsonValue(lens.transforms(e.getKey()).apply(e.getValue())));
        }
      }
      out.add(shaped);
    }
    return out;
  }

  static Object jsonValue(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
        || v instanceof BigDecimal || v instanceof Double) {
      return v;
    }
    if (v instanceof Instant || v instanceof LocalDate || v instanceof OffsetDateTime) {
      return v.toString();
    }
    if (v instanceof LocalDateTime) {
      return ((LocalDateTime) v).atOffset(ZoneOffset.UTC).toInstant().toString();
    }
    if (v instanceof java.sql.Date) {
      return ((java.sql.Date) v).toLocalDate().toString();
    }
    if (v instanceof java.util.Date) {
      return ((java.util.Date) v).toInstant().toString();
    }
    return v.toString();
  }
}
