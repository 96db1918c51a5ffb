package dev.lensgate.server.search;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.server.index.IndexRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lens configs and index records for search tests. */
public final class SearchFixtures {
  /** products(id integer pk, title searchable, body searchable, category, price number, stock integer, active boolean). */
  public static final String PRODUCTS_YAML = "stack: lensgate/v1\n"
      + "sources:\n  main: { type: h2 }\n"
      + "lenses:\n"
      + "  products:\n"
      + "    source: main\n"
      + "    table: products\n"
      + "    primaryKey: id\n"
      + "    fields:\n"
      + "      id: { type: integer }\n"
      + "      title: { type: string, searchable: true }\n"
      + "      body: { type: string, searchable: true }\n"
      + "      category: { type: string }\n"
      + "      price: { type: number }\n"
      + "      stock: { type: integer }\n"
      + "      active: { type: boolean }\n";

  private SearchFixtures() {}

  public static LensgateConfig config(String yaml) {
    ConfigResult r = ConfigLoader.parse(yaml, "test.yaml");
    if (!r.errors().isEmpty()) {
      throw new IllegalArgumentException("config problems: " + r.errors());
    }
    return r.config().orElseThrow();
  }

  public static LensConfig products() {
    return config(PRODUCTS_YAML).lens("products").orElseThrow();
  }

  /** The record the index stores for {@code row}: text = searchable values newline-joined (weight 1). */
  public static IndexRecord record(LensConfig lens, Map<String, Object> row, HashingEmbedder embedder) {
    List<String> parts = new ArrayList<>();
    for (String f : lens.searchableFields()) {
      Object v = row.get(f);
      if (v != null) {
        parts.add(v.toString());
      }
    }
    String text = String.join("\n", parts);
    String id = FieldValues.toText(row.get(lens.schema().primaryKey()));
    return new IndexRecord(id, row, text, Optional.of(embedder.vector(text)), "hash-" + text.hashCode());
  }
}
