package dev.lensgate.cli.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * The demo's sample source: a {@code products} table (a few hundred rows spread over several
 * organizations, with an {@code internal_cost} column the lens deliberately leaves out) and an
 * {@code orders} table. Deterministic (fixed seed), so printed expectations hold on every machine.
 */
public final class DemoDataset {
  public static final List<String> ORGS = List.of("acme", "globex", "initech", "umbrella", "hooli");
  public static final int PRODUCTS = 360;
  public static final int ORDERS = 900;
  static final List<String> CATEGORIES = List.of("kitchen", "garden", "office", "outdoor", "audio", "lighting");
  private static final String[] ADJECTIVES = {"Compact", "Classic", "Ergonomic", "Rugged", "Smart", "Quiet",
      "Portable", "Deluxe", "Eco", "Heavy-duty", "Minimal", "Stackable"};
  private static final String[][] NOUNS = {
      {"Chef's Knife", "Cast Iron Skillet", "Espresso Grinder", "Cutting Board", "Spice Rack", "Kettle"},
      {"Pruning Shears", "Raised Planter", "Garden Hose", "Compost Bin", "Seed Tray", "Watering Can"},
      {"Desk Lamp", "Monitor Arm", "Notebook", "Standing Desk", "Office Chair", "Cable Tray"},
      {"Camping Tent", "Trail Backpack", "Sleeping Bag", "Headlamp", "Water Filter", "Folding Stool"},
      {"Bookshelf Speaker", "Wireless Headphones", "Turntable", "Soundbar", "DAC Amplifier", "Microphone"},
      {"Floor Lamp", "LED Strip", "Pendant Light", "Wall Sconce", "Night Light", "Smart Bulb"}};
  private static final String[] STATUSES = {"pending", "paid", "shipped", "delivered", "refunded"};
  private static final String[] FIRST = {"ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hiro", "ines", "jon"};

  private DemoDataset() {}

  /** Creates and fills both tables on an empty H2 (or compatible) connection. */
  public static void load(Connection c, Instant now) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE products (id BIGINT PRIMARY KEY, sku VARCHAR(32) NOT NULL, product_name VARCHAR(200) NOT NULL,"
          + " category VARCHAR(40) NOT NULL, price DECIMAL(10,2) NOT NULL, stock INTEGER NOT NULL, org_id VARCHAR(40) NOT NULL,"
          + " internal_cost DECIMAL(10,2) NOT NULL, created_at TIMESTAMP NOT NULL)");
      s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, product_id BIGINT NOT NULL, org_id VARCHAR(40) NOT NULL,"
          + " customer_email VARCHAR(200) NOT NULL, quantity INTEGER NOT NULL, total DECIMAL(12,2) NOT NULL,"
          + " status VARCHAR(20) NOT NULL, placed_at TIMESTAMP NOT NULL)");
    }
    Random random = new Random(20261123L);
    BigDecimal[] prices = new BigDecimal[PRODUCTS + 1];
    String[] productOrg = new String[PRODUCTS + 1];
    try (PreparedStatement p = c.prepareStatement("INSERT INTO products VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (int id = 1; id <= PRODUCTS; id++) {
        int cat = (id - 1) % CATEGORIES.size();
        String org = ORGS.get((id - 1) / CATEGORIES.size() % ORGS.size());
        String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[cat][random.nextInt(NOUNS[cat].length)];
        BigDecimal price = BigDecimal.valueOf(499 + random.nextInt(49_500), 2);
        prices[id] = price;
        productOrg[id] = org;
        p.setLong(1, id);
        p.setString(2, String.format("%s-%04d", CATEGORIES.get(cat).substring(0, 3).toUpperCase(java.util.Locale.ROOT), id));
        p.setString(3, "  " + name + " ");   // untrimmed on purpose: the lens's trim transform cleans it
        p.setString(4, CATEGORIES.get(cat));
        p.setBigDecimal(5, price);
        p.setInt(6, random.nextInt(250));
        p.setString(7, org);
        p.setBigDecimal(8, price.multiply(BigDecimal.valueOf(0.55)).setScale(2, RoundingMode.HALF_UP));
        p.setTimestamp(9, Timestamp.from(now.minus(random.nextInt(400), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
        p.addBatch();
      }
      p.executeBatch();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO orders VALUES (?,?,?,?,?,?,?,?)")) {
      for (int id = 1; id <= ORDERS; id++) {
        int product = 1 + random.nextInt(PRODUCTS);
        int qty = 1 + random.nextInt(4);
        p.setLong(1, id);
        p.setLong(2, product);
        p.setString(3, productOrg[product]);
        p.setString(4, FIRST[random.nextInt(FIRST.length)] + id + "@" + productOrg[product] + ".example");
        p.setInt(5, qty);
        p.setBigDecimal(6, prices[product].multiply(BigDecimal.valueOf(qty)));
        p.setString(7, STATUSES[random.nextInt(STATUSES.length)]);
        p.setTimestamp(8, Timestamp.from(now.minus(random.nextInt(90 * 24), ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));
        p.addBatch();
      }
      p.executeBatch();
    }
  }
}
