package dev.lensgate.server.search;

import dev.lensgate.server.index.IndexFields;
import java.io.IOException;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * Exact top-k by vector: every live document that matches the filter and has a vector is scored
 * as the KNN query scores it ({@code (1 + dot) / 2} of unit vectors), best first, ties by document
 * number. The fallback when the HNSW search returned fewer than {@code k} hits: the graph is
 * approximate and, among many near-identical vectors (product variants with near-identical text),
 * can reach only part of them — measured: 34 hits for k = 50 over 61 such rows. Linear in the
 * matching documents, so it runs only on that path. Stateless.
 */
final class ExactKnn {
  private static final Comparator<ScoreDoc> WORST_FIRST =
      Comparator.<ScoreDoc>comparingDouble(d -> d.score).thenComparing(d -> -d.doc);

  private ExactKnn() {}

  /** @param unitQuery unit length; @param filter the where AND rule filter (match-all for none) */
  static ScoreDoc[] search(IndexSearcher searcher, float[] unitQuery, Query filter, int k) throws IOException {
    PriorityQueue<ScoreDoc> best = new PriorityQueue<>(k + 1, WORST_FIRST);
    Weight weight = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues vectors = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
      Scorer scorer = weight.scorer(leaf);
      if (vectors == null || scorer == null || vectors.dimension() != unitQuery.length) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator matching = scorer.iterator();
      for (int d = matching.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = matching.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        if (vectors.docID() < d) {
          vectors.advance(d);
        }
        if (vectors.docID() != d) {
          continue;
        }
        float score = VectorSimilarityFunction.DOT_PRODUCT.compare(unitQuery, vectors.vectorValue());
        best.offer(new ScoreDoc(leaf.docBase + d, score));
        if (best.size() > k) {
          best.poll();
        }
      }
    }
    ScoreDoc[] out = new ScoreDoc[best.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = best.poll();
    }
    return out;
  }
}
