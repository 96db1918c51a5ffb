package dev.lensgate.core.config;

/** The start of a config the loader tests build on: one PostgreSQL source and lens {@code products} with its key. */
final class ProductsYaml {
  /** Ends inside {@code products.fields} after {@code id} (line 10), so tests append fields or lens keys. */
  static final String HEAD = "stack: lensgate/v1\n"
      + "sources:\n"
      + "  shop: { type: postgres }\n"
      + "lenses:\n"
      + "  products:\n"
      + "    source: shop\n"
      + "    table: products\n"
      + "    primaryKey: id\n"
      + "    fields:\n"
      + "      id: { type: integer }\n";

  private ProductsYaml() {}
}
