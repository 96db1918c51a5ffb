package dev.lensgate.server.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Hybrid scoring: the semantic score, raised for an <em>exact match</em> — a row that contains
 * every term of the query (the terms the keyword analyzer reads: lower case, function words
 * dropped). With {@code s} the semantic score {@code (1 + cos) / 2}:
 *
 * <pre>  hybrid = s                                  (not every query term in the row)
 *   hybrid = s + EXACT_MATCH_SHARE * (1 - s)     (every query term in the row)</pre>
 *
 * An exact match closes half of its gap to 1: it comes before every row that is merely about as
 * close in meaning (semantic score below {@code (1 + s) / 2}), while a row much closer in meaning
 * still comes first. The result is in [0, 1], absolute (so {@code minScore} means the same in every
 * query), and 1 only for a row whose vector is the query's. A query with no keyword terms ranks
 * and scores exactly as semantic mode.
 *
 * <p>Why not reciprocal rank fusion, which issue 4 first named: RRF gives BM25's rank order the
 * same say as the semantic one, and on a paraphrase BM25's order is noise from incidental words
 * ("head" finding a headlamp for "protect my head while cycling"). Measured over the same candidate
 * lists on the labelled set shipped with the tests (70 rows, 54 queries; {@code LabelledSetTest}),
 * mean nDCG@10: semantic 0.959, keyword 0.774; RRF k=60 0.920; RRF with keyword weighted 0.25–0.5,
 * or within the semantic candidates only, 0.925–0.937; relative score fusion (min-max, 0.75 on
 * semantic) 0.949; mean/std normalization 0.915–0.949. Crediting partial term overlap
 * (IDF-weighted share of the query's terms in the row) matched this rule at a small weight (0.967 at
 * 0.05–0.1; a little better on mixed queries, a little worse on paraphrases) but fell to 0.957 at
 * 0.5 and 0.949 at 1: it needs a weight chosen on data. This rule: 0.967, equal to semantic on
 * paraphrase and mixed queries, 0.992 vs 0.975 on exact-term ones. What keyword search adds that embeddings blur is the
 * literal match — model numbers, sizes, standards ("HDMI 2.0" vs "HDMI 2.1") — so that is the
 * keyword signal kept, and BM25 only chooses which exact matches become candidates.
 * {@link #EXACT_MATCH_SHARE} is a round constant, not fitted: any share from 0.05 to 1 gives the
 * same order on that set. Ties are broken by the semantic score, then by document number.
 * Stateless.
 */
final class ScoreFusion {
  /** Share of the gap between its semantic score and 1 that an exact match closes. */
  static final double EXACT_MATCH_SHARE = 0.5;

  /** A hybrid candidate: document number, semantic score in [0, 1], whether it holds every term. */
  record Candidate(int doc, double semantic, boolean exactMatch) {
    Candidate {
      if (!(semantic >= 0 && semantic <= 1)) {
        throw new IllegalArgumentException("semantic score must be in [0, 1]");
      }
    }
  }

  /** A fused candidate: Lucene document number and hybrid score in [0, 1]. */
  record Fused(int doc, double score, double semantic) {}

  private ScoreFusion() {}

  /** The hybrid score of a row with semantic score {@code semantic} in [0, 1]. */
  static double score(double semantic, boolean exactMatch) {
    return exactMatch ? semantic + EXACT_MATCH_SHARE * (1 - semantic) : semantic;
  }

  /** Scores {@code candidates} (each document once), best first. The input is left untouched. */
  static List<Fused> fuse(Collection<Candidate> candidates) {
    List<Fused> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      out.add(new Fused(c.doc(), score(c.semantic(), c.exactMatch()), c.semantic()));
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
}
