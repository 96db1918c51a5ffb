package dev.lensgate.bench;

import dev.lensgate.core.embed.Embedder;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.index.IndexFields;
import dev.lensgate.server.index.LensSearcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.PriorityQueue;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;

/**
 * Recall@k of the index's HNSW graphs for unfiltered semantic search, against an exact brute-force
 * scan of every stored vector. The graph query is built like the gateway's semantic mode
 * ({@code KnnFloatVectorQuery} collecting {@value #CANDIDATES} candidates, best {@code k} kept). A
 * graph hit counts as a true neighbour when its exact score reaches the exact k-th score (minus
 * float noise): generated descriptions repeat, so equal vectors tie and any of them is right.
 * The exact scan streams the vectors once for all queries, so nothing of the index is copied.
 */
final class KnnRecall {
  /** SearchEngine.KNN_CANDIDATES: the graph search collects at least this many. */
  static final int CANDIDATES = 50;
  private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;
  private static final float TIE = 1e-6f;

  private KnnRecall() {}

  /**
   * Recall@10 of the bench lens's index in {@code gateway}, for {@code count} query texts of both
   * search benches' kinds (semantic paraphrases, keyword phrases), embedded like a search query:
   * {gateway's {@value #CANDIDATES} candidates, twice as many} (the second tells what a wider
   * search-time beam would buy).
   */
  static double[] ofBenchIndex(Gateway gateway, String env, Embedder embedder, int count) throws IOException {
    Random random = new Random(11);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      texts.add(i % 2 == 0 ? SearchBenchData.semanticQuery(random) : SearchBenchData.keywordQuery(random));
    }
    List<float[]> queries = embedder.embed(texts);
    try (LensSearcher s = gateway.indexes().index(env, SearchBenchData.LENS).acquire()
        .orElseThrow(() -> new IllegalStateException("no index after the full sync"))) {
      float[] kth = exactKth(s.searcher(), queries, 10);
      return new double[] {measure(s.searcher(), queries, kth, 10, CANDIDATES),
          measure(s.searcher(), queries, kth, 10, 2 * CANDIDATES)};
    }
  }

  /**
   * Mean recall@k over {@code queries} (unit vectors) on {@code searcher}'s vector field, the graph
   * search collecting {@code candidates}; {@code kthExact}: {@link #exactKth}.
   */
  static double measure(IndexSearcher searcher, List<float[]> queries, float[] kthExact, int k, int candidates)
      throws IOException {
    double sum = 0;
    for (int q = 0; q < queries.size(); q++) {
      ScoreDoc[] hits = searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, queries.get(q),
          Math.max(k, candidates)), k).scoreDocs;
      int found = 0;
      for (ScoreDoc hit : hits) {
        // The KNN query's score is the similarity of the stored vector: the exact score.
        if (hit.score >= kthExact[q] - TIE) {
          found++;
        }
      }
      sum += (double) found / k;
    }
    return sum / queries.size();
  }

  /** The exact k-th best score of each query over every live vector of the index. */
  static float[] exactKth(IndexSearcher searcher, List<float[]> queries, int k) throws IOException {
    List<PriorityQueue<Float>> best = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      best.add(new PriorityQueue<>(k + 1));
    }
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
      if (values == null) {
        continue;
      }
      org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        float[] v = values.vectorValue();
        for (int q = 0; q < queries.size(); q++) {
          float score = SIMILARITY.compare(queries.get(q), v);
          PriorityQueue<Float> heap = best.get(q);
          if (heap.size() < k) {
            heap.add(score);
          } else if (score > heap.peek()) {
            heap.poll();
            heap.add(score);
          }
        }
      }
    }
    float[] out = new float[queries.size()];
    for (int q = 0; q < queries.size(); q++) {
      PriorityQueue<Float> heap = best.get(q);
      out[q] = heap.isEmpty() ? Float.NEGATIVE_INFINITY : heap.peek();
    }
    return out;
  }
}
