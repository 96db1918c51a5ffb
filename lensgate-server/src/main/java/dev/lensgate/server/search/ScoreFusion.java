package dev.lensgate.server.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;

/**
 * Hybrid ranking by relative score fusion: each list's scores are min-max normalized over that
 * list's own candidates ({@code (s - min) / (max - min)}, or 1 for every candidate when all its
 * scores are equal), then combined as {@code alpha * semantic + (1 - alpha) * keyword}, where a
 * document absent from one list scores 0 there. The result is in [0, 1]; a document first in both
 * lists scores 1.
 *
 * <p>Unlike reciprocal rank fusion, this keeps how far apart the scores of a list are, so a list
 * whose top hits are barely distinguishable (keyword noise on a paraphrase) moves the fused order
 * less than one with a clear winner. {@link #DEFAULT_ALPHA} is 0.75, the default weight of the
 * vector side in widely used hybrid search engines; it was not fitted to any data set of this
 * project. Ties are broken by the semantic score, then by document number. Stateless.
 */
final class ScoreFusion {
  /** Weight of the semantic list; the keyword list gets {@code 1 - alpha}. */
  static final double DEFAULT_ALPHA = 0.75;

  /** A fused candidate: Lucene document number and fused score in [0, 1]. */
  record Fused(int doc, double score, double semantic) {}

  private ScoreFusion() {}

  /**
   * Fuses {@code keyword} (raw BM25 scores, any positive scale) and {@code semantic} (any scale),
   * best first. Both arrays are left untouched.
   *
   * @param alpha weight of the semantic list, in [0, 1]
   */
  static List<Fused> relative(ScoreDoc[] keyword, ScoreDoc[] semantic, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in [0, 1]");
    }
    Map<Integer, double[]> byDoc = new HashMap<>(); // doc -> {keyword, semantic}
    add(byDoc, keyword, 0);
    add(byDoc, semantic, 1);
    List<Fused> out = new ArrayList<>(byDoc.size());
    for (Map.Entry<Integer, double[]> e : byDoc.entrySet()) {
      double k = e.getValue()[0];
      double s = e.getValue()[1];
      double fused = Math.max(0, Math.min(1, alpha * s + (1 - alpha) * k));
      out.add(new Fused(e.getKey(), fused, s));
    }
    out.sort((a, b) -> {
      int c = Double.compare(b.score(), a.score());
      if (c != 0) {
        return c;
      }
      c = Double.compare(b.semantic(), a.semantic());
      return c != 0 ? c : Integer.compare(a.doc(), b.doc());
    });
    return out;
  }

  private static void add(Map<Integer, double[]> byDoc, ScoreDoc[] docs, int slot) {
    if (docs.length == 0) {
      return;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ScoreDoc d : docs) {
      min = Math.min(min, d.score);
      max = Math.max(max, d.score);
    }
    double range = max - min;
    for (ScoreDoc d : docs) {
      double normalized = range > 0 ? (d.score - min) / range : 1.0;
      byDoc.computeIfAbsent(d.doc, x -> new double[2])[slot] = normalized;
    }
  }
}
