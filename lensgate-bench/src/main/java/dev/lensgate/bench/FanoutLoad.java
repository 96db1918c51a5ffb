package dev.lensgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.WhereParser;
import dev.lensgate.server.sync.ChangeListener;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The stream fan-out load (issue 5's speed target), reusable by an in-process run and by a run
 * through real sockets: lens {@code tickets(id integer, orgId integer, price number, name string)};
 * subscriber {@code i}'s rule filter is {@code orgId = i % orgs AND price in [lo, lo + 300)} with
 * {@code lo = 200 × ((i / orgs) % 5)}, so every subscriber has its own filter and a change concerns
 * about 1.5 of the 5 subscribers of its organization; changes are upserts and deletes of random
 * rows (prices 0–999.99, one in ten updates moves the row to another organization), generated
 * with a seed and kept as an in-memory index so each change carries the row as indexed before.
 *
 * <p>Not thread-safe: one generator thread.
 */
public final class FanoutLoad {
  public static final String ENV = "bench-env";
  public static final String LENS = "tickets";
  public static final LensConfig LENS_CONFIG = ConfigLoader.parse(
      "stack: lensgate/v1\n"
      + "sources:\n  main: { type: h2 }\n"
      + "lenses:\n  tickets:\n    source: main\n    table: tickets\n    primaryKey: id\n"
      + "    fields:\n      id: { type: integer }\n      orgId: { type: integer, from: org_id }\n"
      + "      price: { type: number }\n      name: { type: string }\n", "fanout.yaml")
      .config().orElseThrow().lens(LENS).orElseThrow();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BANDS = 5;

  private final int orgs;
  private final int rows;
  private final Random rnd;
  private final Map<Long, Map<String, Object>> indexed = new HashMap<>();

  /**
   * @param orgs organizations (subscriber {@code i} watches {@code i % orgs})
   * @param rows distinct record ids; all start as indexed (not emitted), like a synced lens
   */
  public FanoutLoad(int orgs, int rows, long seed) {
    this.orgs = orgs;
    this.rows = rows;
    this.rnd = new Random(seed);
    for (long id = 0; id < rows; id++) {
      indexed.put(id, row(id, rnd.nextInt(orgs)));
    }
  }

  /** Subscriber {@code i}'s rule filter as the JSON a rule would produce. */
  public String ruleJson(int i) {
    int lo = 200 * ((i / orgs) % BANDS);
    return String.format(Locale.ROOT, "{\"orgId\": %d, \"price\": {\"$gte\": %d, \"$lt\": %d}}", i % orgs, lo, lo + 300);
  }

  /** {@link #ruleJson} parsed as the gateway parses a rule filter. */
  public Filter ruleFilter(int i) {
    try {
      return WhereParser.parse(JSON.readTree(ruleJson(i)), LENS_CONFIG.schema());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next change, applied to the generator's index. */
  public ChangeEvent next() {
    long id = rnd.nextInt(rows);
    Map<String, Object> before = indexed.get(id);
    if (before == null) {
      Map<String, Object> after = row(id, rnd.nextInt(orgs));
      indexed.put(id, after);
      return ChangeEvent.upsert(ENV, LENS, Long.toString(id), Optional.empty(), after);
    }
    if (rnd.nextInt(100) < 15) {
      indexed.remove(id);
      return ChangeEvent.delete(ENV, LENS, Long.toString(id), before);
    }
    long org = rnd.nextInt(10) == 0 ? rnd.nextInt(orgs) : (Long) before.get("orgId");
    Map<String, Object> after = row(id, (int) org);
    indexed.put(id, after);
    return ChangeEvent.upsert(ENV, LENS, Long.toString(id), Optional.of(before), after);
  }

  private Map<String, Object> row(long id, int org) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("orgId", (long) org);
    row.put("price", BigDecimal.valueOf(rnd.nextInt(100_000), 2));
    row.put("name", "ticket " + id + " rev " + rnd.nextInt(1000));
    return row;
  }

  /**
   * How many of {@code subscribers} registrations must get an event for {@code change}, computed
   * from the filters' shape (not by the hub's code): those that saw the row before or see it after.
   */
  public int expectedDeliveries(ChangeEvent change, int subscribers) {
    Long beforeOrg = change.before().map(r -> (Long) r.get("orgId")).orElse(null);
    Long afterOrg = change.after().map(r -> (Long) r.get("orgId")).orElse(null);
    int n = 0;
    for (int band = 0; band < BANDS; band++) {
      int lo = 200 * band;
      boolean seen = change.before().map(r -> inBand(r, lo)).orElse(false);
      boolean sees = change.after().map(r -> inBand(r, lo)).orElse(false);
      if (beforeOrg != null && beforeOrg.equals(afterOrg)) {
        n += seen || sees ? subscribersOf(beforeOrg, band, subscribers) : 0;
      } else {
        n += seen ? subscribersOf(beforeOrg, band, subscribers) : 0;
        n += sees ? subscribersOf(afterOrg, band, subscribers) : 0;
      }
    }
    return n;
  }

  /** Subscribers {@code i < subscribers} of {@code org} and {@code band}: i = org + orgs × (band + 5k). */
  private int subscribersOf(long org, int band, int subscribers) {
    int n = 0;
    for (long i = org + (long) orgs * band; i < subscribers; i += (long) orgs * BANDS) {
      n++;
    }
    return n;
  }

  private static boolean inBand(Map<String, Object> row, int lo) {
    BigDecimal p = (BigDecimal) row.get("price");
    return p.compareTo(BigDecimal.valueOf(lo)) >= 0 && p.compareTo(BigDecimal.valueOf(lo + 300)) < 0;
  }

  /**
   * Feeds {@code target} at {@code perSecond} changes/s (open loop: a change is due every
   * 1/rate s from the start, whatever the target's speed) until {@code keepGoing} is false.
   *
   * @return the largest lag of a change behind its due time, in nanoseconds
   */
  public long run(ChangeListener target, int perSecond, BooleanSupplier keepGoing, ChangeCounter counter) {
    long interval = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    long maxLag = 0;
    for (long k = 0; keepGoing.getAsBoolean(); k++) {
      long due = start + k * interval;
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(due - now);
      }
      maxLag = Math.max(maxLag, now - due);
      ChangeEvent c = next();
      counter.sent(c);
      target.changed(c);
    }
    return maxLag;
  }

  /** Told about every change before it is fed (counting, expected deliveries). */
  @FunctionalInterface
  public interface ChangeCounter {
    void sent(ChangeEvent change);
  }
}
