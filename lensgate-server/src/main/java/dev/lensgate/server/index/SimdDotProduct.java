package dev.lensgate.server.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float dot product on the JDK's vector API, the inner loop of building an HNSW graph.
 *
 * <p>Lucene 9 only uses SIMD for this on JDK 20+; on JDK 17 it runs a scalar loop that took ~85 % of
 * the CPU of adding a row to the index. The vector API is an incubator module in JDK 17 through 25,
 * with the same calls in all of them, so this class is loaded only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (see {@link GraphScorers}).
 */
final class SimdDotProduct {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private SimdDotProduct() {}

  static float dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
    }
    int lanes = SPECIES.length();
    int i = 0;
    // Two accumulators, so consecutive fused multiply-adds do not wait on each other.
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    for (int bound = a.length - 2 * lanes; i <= bound; i += 2 * lanes) {
      acc1 = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), acc1);
      acc2 = FloatVector.fromArray(SPECIES, a, i + lanes).fma(FloatVector.fromArray(SPECIES, b, i + lanes), acc2);
    }
    for (int bound = SPECIES.loopBound(a.length); i < bound; i += lanes) {
      acc1 = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), acc1);
    }
    float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      sum = Math.fma(a[i], b[i], sum);
    }
    return sum;
  }
}
