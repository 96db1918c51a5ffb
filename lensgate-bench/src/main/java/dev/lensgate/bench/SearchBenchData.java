package dev.lensgate.bench;

import dev.lensgate.testkit.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The search benchmark's data and config: {@code products(id bigint pk, org_id text, name text,
 * description text, price numeric)} with generated product-like descriptions (the same generator as
 * {@link EmbedThroughputBenchmark}, seeded), and the lens {@code products} whose only searchable
 * field is {@code description}, so the text the index embeds for a row is exactly its description —
 * the same strings the raw embedder baseline is measured on. The lens's {@code search} grant needs a
 * user token and narrows every search to the token's {@code orgId} (1 of {@value BenchConfig#ORGS}).
 */
final class SearchBenchData {
  static final String LENS = "products";
  private static final int INSERT_BATCH = 2_000;
  private static final String[] QUERY_WORDS = {"waterproof jacket", "coffee grinder", "wireless headphones",
      "yoga mat", "chef knife", "camera bag", "insulated water bottle", "ergonomic office chair", "foldable tent",
      "wool sweater", "recycled materials", "usb-c charging", "cold weather", "lifetime warranty", "matte black"};
  private static final String[] PARAPHRASES = {"something to keep my drinks cold on a hike",
      "a comfortable seat for working at my desk all day", "gear that survives heavy rain",
      "a quiet way to listen to music without cables", "a sharp blade for cooking", "a bag to carry my photo equipment",
      "kitchen appliance for making smoothies", "warm clothing for the winter", "shelter for camping in the mountains",
      "lamp to read at night", "eco friendly products without plastic", "shoes for jogging in the park"};

  private SearchBenchData() {}

  /** Row {@code id}'s description: deterministic in the id, so a sample can be regenerated. */
  static List<String> descriptions(int rows) {
    return EmbedThroughputBenchmark.sentences(rows, new Random(42));
  }

  /** Creates and fills {@code products} in the test schema with plain JDBC batches. */
  static void load(TestDatabase db, List<String> descriptions) throws SQLException {
    db.execute("CREATE TABLE products (id bigint PRIMARY KEY, org_id text NOT NULL, name text NOT NULL,"
        + " description text NOT NULL, price numeric(10,2) NOT NULL)");
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO products (id, org_id, name, description, price) VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 0; i < descriptions.size(); i++) {
          long id = i + 1L;
          ps.setLong(1, id);
          ps.setString(2, BenchConfig.orgOf(id));
          ps.setString(3, "product " + id);
          ps.setString(4, descriptions.get(i));
          ps.setBigDecimal(5, BigDecimal.valueOf(id % 10_000, 2));
          ps.addBatch();
          if ((i + 1) % INSERT_BATCH == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
    db.execute("ANALYZE products");
  }

  /** Keyword/hybrid queries: two to four product words; varied so no answer is cached anywhere. */
  static String keywordQuery(Random random) {
    String q = QUERY_WORDS[random.nextInt(QUERY_WORDS.length)];
    return random.nextBoolean() ? q : q + " " + QUERY_WORDS[random.nextInt(QUERY_WORDS.length)];
  }

  /** Semantic queries: paraphrases sharing few words with the rows, plus a varying suffix. */
  static String semanticQuery(Random random) {
    return PARAPHRASES[random.nextInt(PARAPHRASES.length)] + (random.nextBoolean() ? "" : " please " + random.nextInt(100));
  }

  /**
   * @param jwksFile the dev issuer's public JWKS
   * @param sourceUrl JDBC URL of the source (credentials are stored separately)
   * @param schema the schema holding {@code products}
   */
  static String yaml(Path jwksFile, String sourceUrl, String schema) {
    return BenchConfig.header(jwksFile, BenchConfig.SOURCE, sourceUrl)
        + "  " + LENS + ":\n"
        + "    source: " + BenchConfig.SOURCE + "\n"
        + "    table: products\n"
        + "    schema: " + Objects.requireNonNull(schema, "schema") + "\n"
        + "    primaryKey: id\n"
        + "    fields:\n"
        + "      id: { type: integer }\n"
        + "      orgId: { type: string, from: org_id }\n"
        + "      name: { type: string }\n"
        + "      description: { type: string, searchable: true }\n"
        + "      price: { type: number }\n"
        + "    grants:\n"
        + "      search:\n"
        + "        authenticated: true\n"
        + "        rule: \"" + BenchConfig.RULE + "\"\n"
        + "defaults:\n"
        + "  grants: strict\n";
  }

  /** Every {@code step}-th description, at most {@code n}: the raw-throughput sample. */
  static List<String> sample(List<String> all, int n) {
    List<String> out = new ArrayList<>(n);
    int step = Math.max(1, all.size() / n);
    for (int i = 0; i < all.size() && out.size() < n; i += step) {
      out.add(all.get(i));
    }
    return out;
  }
}
