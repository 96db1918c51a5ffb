package dev.lensgate.server.search;

import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random filter trees over the products fixture's fields (every node type, NULL-aware). */
final class RandomFilters {
  private RandomFilters() {}

  static Filter filter(Random rnd, int depth) {
    int kind = depth <= 0 ? rnd.nextInt(6) : rnd.nextInt(9);
    switch (kind) {
      case 0: return Filters.eq("category", SearchEngineTest.CATEGORIES[rnd.nextInt(5)]);
      case 1: return Filters.compare("price", Filter.CompareOp.values()[rnd.nextInt(6)],
          BigDecimal.valueOf(rnd.nextInt(10_000), 2));
      case 2: return Filters.compare("stock", Filter.CompareOp.values()[rnd.nextInt(6)], (long) rnd.nextInt(50));
      case 3: {
        List<Object> values = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          values.add(SearchEngineTest.CATEGORIES[rnd.nextInt(5)]);
        }
        return new Filter.In("category", values, rnd.nextBoolean());
      }
      case 4: return new Filter.Exists(rnd.nextBoolean() ? "active" : "price", rnd.nextBoolean());
      case 5: return rnd.nextBoolean() ? Filters.eq("active", rnd.nextBoolean())
          : new Filter.TextMatch("title", Filter.TextOp.values()[rnd.nextInt(3)], SearchEngineTest.WORDS[rnd.nextInt(20)]);
      case 6: return Filters.and(filter(rnd, depth - 1), filter(rnd, depth - 1));
      case 7: return Filters.or(filter(rnd, depth - 1), filter(rnd, depth - 1));
      default: return Filters.not(filter(rnd, depth - 1));
    }
  }

  static float[] unitVector(Random rnd, int dims) {
    float[] v = new float[dims];
    double sum = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) rnd.nextGaussian();
      sum += v[i] * v[i];
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < dims; i++) {
      v[i] /= norm;
    }
    return v;
  }
}
