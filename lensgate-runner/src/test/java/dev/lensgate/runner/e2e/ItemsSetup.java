package dev.lensgate.runner.e2e;

import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.Random;

/**
 * The shared scene of the end-to-end tests: an {@code items} table in PostgreSQL with random rows,
 * and a config with one lens per way of reaching it — {@code direct} (the gateway's own JDBC),
 * {@code managed} (through runner {@code edge-1} with credentials the gateway ships in each job) and
 * {@code airgap} (through {@code edge-1} with credentials only the runner's environment holds).
 */
final class ItemsSetup {
  static final String RUNNER = "edge-1";
  static final int ROWS = 150;

  private ItemsSetup() {}

  static void createItems(TestDatabase db, long seed) throws Exception {
    db.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, score integer, tier text NOT NULL,"
        + " active boolean NOT NULL)");
    Random random = new Random(seed);
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?, ?)")) {
      for (int id = 1; id <= ROWS; id++) {
        ps.setLong(1, id);
        ps.setString(2, RandomFilters.name(random));
        if (random.nextInt(8) == 0) {
          ps.setNull(3, Types.INTEGER);
        } else {
          // A narrow range, so orderings on score have many ties for the primary key to break.
          ps.setInt(3, random.nextInt(40) * 5 - 50);
        }
        ps.setString(4, RandomFilters.TIERS.get(random.nextInt(RandomFilters.TIERS.size())));
        ps.setBoolean(5, random.nextBoolean());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static String config() {
    return config("");
  }

  /** The config with {@code extraLenses} (YAML under {@code lenses:}) added. */
  static String config(String extraLenses) {
    return "stack: lensgate/v1\n"
        + "sources:\n"
        + "  direct:\n    type: postgres\n"
        + "  managed:\n    type: postgres\n    runners: [" + RUNNER + "]\n"
        + "  airgap:\n    type: postgres\n    runners: [" + RUNNER + "]\n    credentials: runner-local\n"
        + "lenses:\n" + lens("direct") + lens("managed") + lens("airgap") + extraLenses
        + "defaults:\n  grants: strict\n";
  }

  /** A lens named after its source, over the same table. */
  private static String lens(String source) {
    return "  " + source + ":\n    source: " + source + "\n    table: items\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      name: { type: string }\n      score: { type: integer }\n"
        + "      tier: { type: string }\n      active: { type: boolean }\n"
        + "    grants:\n      query: public\n";
  }
}
