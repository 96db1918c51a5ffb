package dev.lensgate.server.search;

import dev.lensgate.core.config.LensConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text built from a shaped row's searchable fields: the response's {@code content} (each field
 * once) and, for {@code similar} with {@code fields}, the embedding text (each field repeated by
 * its weight, as the index builds it). Null values are left out; parts are joined by newlines.
 */
final class SearchText {
  private SearchText() {}

  static String content(LensConfig lens, Map<String, Object> shaped, List<String> fields, boolean weighted) {
    List<String> parts = new ArrayList<>();
    for (String field : lens.searchableFields()) {
      if (!fields.contains(field)) {
        continue;
      }
      Object v = shaped.get(field);
      if (v == null) {
        continue;
      }
      int times = weighted ? Math.max(1, lens.index().weight(field)) : 1;
      for (int i = 0; i < times; i++) {
        parts.add(v.toString());
      }
    }
    return String.join("\n", parts);
  }
}
