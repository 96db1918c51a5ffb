package dev.lensgate.server.search;

import dev.lensgate.server.index.IndexFields;
import dev.lensgate.server.index.LensSearcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;

/**
 * Gathers hybrid mode's candidates with exact facts for each (see {@link ScoreFusion}): the
 * semantic top-{@code depth} (already filtered) plus the best {@code depth} rows by BM25 among
 * those that contain every query term (filtered the same way), so an exact match the vector search
 * ranked too low still competes. Every candidate gets its true semantic score — from the KNN list,
 * or from its stored vector for an exact match the KNN list missed — and a true exact-match flag
 * — checked against the all-terms query for every KNN candidate, not only those the bounded
 * all-terms list holds. Stateless; one call per request.
 */
final class HybridCandidates {
  private HybridCandidates() {}

  /**
   * @param terms the query's keyword terms ({@link QueryTerms}); empty: no exact matches
   * @param unitQuery the query vector, unit length
   * @param semantic the filtered KNN hits, scores {@code (1 + cos) / 2}
   * @param filter the where AND rule filter ({@link MatchAllDocsQuery} for none)
   */
  static List<ScoreFusion.Candidate> collect(LensSearcher searcher, List<String> terms, float[] unitQuery,
      ScoreDoc[] semantic, Query filter, int depth) throws IOException {
    Map<Integer, ScoreFusion.Candidate> byDoc = new LinkedHashMap<>();
    if (terms.isEmpty()) {
      for (ScoreDoc d : semantic) {
        byDoc.put(d.doc, new ScoreFusion.Candidate(d.doc, unitRange(d.score), false));
      }
      return new ArrayList<>(byDoc.values());
    }
    Query allTerms = allTerms(terms);
    boolean[] exact = containsAll(searcher.searcher(), allTerms, semantic);
    for (int i = 0; i < semantic.length; i++) {
      byDoc.put(semantic[i].doc, new ScoreFusion.Candidate(semantic[i].doc, unitRange(semantic[i].score), exact[i]));
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder().add(allTerms, BooleanClause.Occur.MUST);
    if (!(filter instanceof MatchAllDocsQuery)) {
      q.add(filter, BooleanClause.Occur.FILTER);
    }
    for (ScoreDoc d : searcher.searcher().search(q.build(), depth).scoreDocs) {
      if (!byDoc.containsKey(d.doc)) {
        byDoc.put(d.doc, new ScoreFusion.Candidate(d.doc, semanticOf(searcher, d.doc, unitQuery), true));
      }
    }
    return new ArrayList<>(byDoc.values());
  }

  /** Rows holding every term: one MUST clause per term, on the same field keyword mode searches. */
  static Query allTerms(List<String> terms) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : terms) {
      b.add(new TermQuery(new Term(IndexFields.TEXT, t)), BooleanClause.Occur.MUST);
    }
    return b.build();
  }

  /** For each of {@code docs}, whether {@code query} matches it; walks each segment once, in doc order. */
  private static boolean[] containsAll(IndexSearcher searcher, Query query, ScoreDoc[] docs) throws IOException {
    boolean[] out = new boolean[docs.length];
    if (docs.length == 0) {
      return out;
    }
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(docs[a].doc, docs[b].doc));
    Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    int leafIndex = -1;
    DocIdSetIterator it = null;
    for (int i : order) {
      int doc = docs[i].doc;
      int leaf = ReaderUtil.subIndex(doc, leaves);
      if (leaf != leafIndex) {
        leafIndex = leaf;
        Scorer scorer = weight.scorer(leaves.get(leaf));
        it = scorer == null ? null : scorer.iterator();
      }
      int local = doc - leaves.get(leaf).docBase;
      if (it != null && it.docID() < local) {
        it.advance(local);
      }
      out[i] = it != null && it.docID() == local;
    }
    return out;
  }

  /** {@code (1 + cos) / 2} from the stored vector, as the KNN query scores it; 0 without one. */
  private static double semanticOf(LensSearcher searcher, int doc, float[] unitQuery) {
    Optional<float[]> stored = searcher.vector(doc);
    if (stored.isEmpty() || stored.get().length != unitQuery.length) {
      return 0;
    }
    return unitRange(VectorSimilarityFunction.DOT_PRODUCT.compare(unitQuery, stored.get()));
  }

  private static double unitRange(double score) {
    return Math.max(0, Math.min(1, score));
  }
}
