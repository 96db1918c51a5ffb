package dev.lensgate.server.index;

import java.io.IOException;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Scores float vectors by dot product with {@link SimdDotProduct}, the similarity every lens index
 * uses (vectors are unit length); anything else goes to Lucene's own scorer. The score is Lucene's
 * {@code DOT_PRODUCT} score, {@code max((1 + dot) / 2, 0)}, so graphs come out as Lucene would build
 * them, up to float rounding.
 */
final class SimdGraphScorer implements FlatVectorsScorer {
  private final FlatVectorsScorer fallback = DefaultFlatVectorScorer.INSTANCE;

  @Override
  public RandomVectorScorerSupplier getRandomVectorScorerSupplier(VectorSimilarityFunction similarity,
      RandomAccessVectorValues values) throws IOException {
    if (similarity == VectorSimilarityFunction.DOT_PRODUCT && values instanceof RandomAccessVectorValues.Floats) {
      return new Supplier((RandomAccessVectorValues.Floats) values);
    }
    return fallback.getRandomVectorScorerSupplier(similarity, values);
  }

  @Override
  public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction similarity,
      RandomAccessVectorValues values, float[] target) throws IOException {
    if (similarity == VectorSimilarityFunction.DOT_PRODUCT && values instanceof RandomAccessVectorValues.Floats) {
      return scorer((RandomAccessVectorValues.Floats) values, target);
    }
    return fallback.getRandomVectorScorer(similarity, values, target);
  }

  @Override
  public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction similarity,
      RandomAccessVectorValues values, byte[] target) throws IOException {
    return fallback.getRandomVectorScorer(similarity, values, target);
  }

  static float score(float[] a, float[] b) {
    return Math.max((1 + SimdDotProduct.dot(a, b)) / 2, 0);
  }

  private static RandomVectorScorer scorer(RandomAccessVectorValues.Floats values, float[] target) {
    return new RandomVectorScorer.AbstractRandomVectorScorer(values) {
      @Override
      public float score(int node) throws IOException {
        return SimdGraphScorer.score(target, values.vectorValue(node));
      }
    };
  }

  /**
   * Scores against one stored vector. Two copies of the values, because a stored vector may be a
   * reused buffer: the target must not change while the other ordinals are read.
   */
  private static final class Supplier implements RandomVectorScorerSupplier {
    private final RandomAccessVectorValues.Floats values;
    private final RandomAccessVectorValues.Floats targets;
    private final RandomAccessVectorValues.Floats candidates;

    Supplier(RandomAccessVectorValues.Floats values) throws IOException {
      this.values = values;
      this.targets = values.copy();
      this.candidates = values.copy();
    }

    @Override
    public RandomVectorScorer scorer(int ord) throws IOException {
      return SimdGraphScorer.scorer(candidates, targets.vectorValue(ord));
    }

    @Override
    public RandomVectorScorerSupplier copy() throws IOException {
      return new Supplier(values.copy());
    }
  }

  @Override
  public String toString() {
    return "SimdGraphScorer";
  }
}
