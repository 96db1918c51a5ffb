package dev.lensgate.runner.e2e;

import dev.lensgate.client.Direction;
import dev.lensgate.client.Query;
import dev.lensgate.client.Where;
import java.util.List;
import java.util.Random;

/**
 * Random reads over the {@code items} table of {@link RunnerEndToEndTest} (fields id, name, score,
 * tier, active; score is sometimes NULL): every operator of the contract on the field types it
 * applies to, nested {@code $and}/{@code $or}/{@code $not}, and a random order. Every read is valid
 * for the lens, so direct mode must answer each one.
 */
final class RandomFilters {
  static final List<String> TIERS = List.of("gold", "silver", "bronze");
  static final List<String> SYLLABLES = List.of("ka", "to", "mi", "ra", "lu", "ne");
  private static final List<String> ORDER_FIELDS = List.of("id", "name", "score", "tier", "active");

  private final Random random;

  RandomFilters(Random random) {
    this.random = random;
  }

  /** A read of up to 1000 rows (the table is smaller), so one page holds the whole answer. */
  Query fullRead() {
    return ordered(filter(2)).limit(Query.MAX_LIMIT);
  }

  /** The same kind of read in small pages, to be walked by cursor. */
  Query pagedRead(int pageSize) {
    return ordered(filter(2)).limit(pageSize);
  }

  private Query ordered(Where where) {
    Query q = where == null ? Query.all() : Query.where(where);
    return q.orderBy(pick(ORDER_FIELDS), random.nextBoolean() ? Direction.ASC : Direction.DESC);
  }

  /** Null (no filter) about one time in ten. */
  private Where filter(int depth) {
    return random.nextInt(10) == 0 ? null : node(depth);
  }

  private Where node(int depth) {
    if (depth == 0 || random.nextInt(3) > 0) {
      return leaf();
    }
    switch (random.nextInt(3)) {
      case 0: return Where.and(node(depth - 1), node(depth - 1));
      case 1: return Where.or(node(depth - 1), node(depth - 1));
      default: return Where.not(node(depth - 1));
    }
  }

  private Where leaf() {
    int score = random.nextInt(220) - 60;
    String syllable = pick(SYLLABLES);
    switch (random.nextInt(15)) {
      case 0: return Where.eq("tier", pick(TIERS));
      case 1: return Where.ne("tier", pick(TIERS));
      case 2: return Where.gt("score", score);
      case 3: return Where.gte("score", score);
      case 4: return Where.lt("score", score);
      case 5: return Where.lte("score", score);
      case 6: return Where.in("tier", pick(TIERS), pick(TIERS));
      case 7: return Where.nin("score", score, score + 1, random.nextInt(100));
      case 8: return Where.startsWith("name", syllable);
      case 9: return Where.endsWith("name", syllable);
      case 10: return Where.like("name", "%" + syllable + "%");
      case 11: return Where.ilike("name", syllable.toUpperCase() + "%");
      case 12: return Where.exists("score", random.nextBoolean());
      case 13: return Where.eq("active", random.nextBoolean());
      default: return Where.lte("id", 1 + random.nextInt(160));
    }
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A random name of two or three syllables. */
  static String name(Random random) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2 + random.nextInt(2); i++) {
      b.append(SYLLABLES.get(random.nextInt(SYLLABLES.size())));
    }
    return b.toString();
  }
}
