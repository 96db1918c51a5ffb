package dev.lensgate.server.search;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.core.where.InMemoryPredicate;
import dev.lensgate.server.embed.EmbedderLookup;
import dev.lensgate.server.index.IndexFields;
import dev.lensgate.server.index.IndexFilters;
import dev.lensgate.server.index.LensIndex;
import dev.lensgate.server.index.LensSearcher;
import dev.lensgate.server.index.LensIndexes;
import dev.lensgate.server.index.StaleIndexException;
import dev.lensgate.server.index.StoredDocument;
import dev.lensgate.server.shape.RowShaper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/**
 * Runs search and similar against a lens's index. In every mode the filter — the client's
 * {@code where} AND the caller's rule filter — is part of the Lucene query, so it applies before
 * top-k: BM25 with a FILTER clause, and KNN with the filter as {@code KnnFloatVectorQuery}'s filter
 * argument (Lucene searches the graph only among accepted documents and falls back to an exact
 * scan when the filter is selective, so a selective filter still yields {@code limit} results).
 *
 * <p>Scores, all in [0, 1] and compared with {@code minScore} after normalization:
 * <ul>
 *   <li>keyword: BM25 score {@code s} mapped to {@code s / (s + 1)} — monotone, absolute (not
 *       relative to the best hit, so {@code minScore} means the same in every query);</li>
 *   <li>semantic and similar: Lucene's dot-product score of unit vectors, {@code (1 + cos) / 2}
 *       (the HNSW search collects at least {@value #KNN_CANDIDATES} candidates before keeping
 *       {@code limit}: with {@code k = limit} it missed true neighbours even on 70 rows; when it
 *       returns fewer than {@code limit}, an exact scan of the filtered rows ({@link ExactKnn})
 *       answers instead, so near-identical rows the graph cannot reach still fill the limit);</li>
 *   <li>hybrid: the semantic score, raised for an exact match — a row containing every keyword
 *       term of the query closes half of its gap to 1, {@code s + (1 - s) / 2} ({@link ScoreFusion},
 *       which also says why this is not reciprocal rank fusion). Candidates are the semantic
 *       top-{@value #HYBRID_DEPTH} (or {@code 4 * limit} if larger) and as many rows containing
 *       every term, best by BM25, both filtered before top-k; each is scored exactly (stored vector
 *       for an exact match the KNN list missed). Absolute like the other modes: a query without
 *       keyword terms ranks and scores exactly as semantic mode.</li>
 * </ul>
 * Keyword mode never calls the embedder; semantic and hybrid answer {@code 502 embedding_failed}
 * when embedding the query fails. Thread-safe.
 */
public final class SearchEngine {
  static final int HYBRID_DEPTH = 50;
  /** The KNN graph search of every mode collects at least this many candidates, then keeps {@code limit}. */
  static final int KNN_CANDIDATES = 50;
  /** Each hybrid list holds at least this many times {@code limit} candidates. */
  static final int HYBRID_DEPTH_FACTOR = 4;

  private final LensIndexes indexes;
  private final Embeddings embeddings;

  public SearchEngine(LensIndexes indexes, EmbedderLookup embedders) {
    this.indexes = indexes;
    this.embeddings = new Embeddings(embedders);
  }

  /** Searches lens {@code lens} of {@code envId}; {@code ruleFilter} is ANDed with the where. */
  public SearchResult search(String envId, LensConfig lens, SearchRequest request, Optional<Filter> ruleFilter) {
    LensIndex index = indexes.index(envId, lens);
    Filter filter = Filters.and(ruleFilter.orElse(Filters.matchAll()), request.where());
    // Embed before touching the index: a failing embedder must not hold a searcher.
    float[] vector = request.mode() == SearchMode.KEYWORD ? null
        : embeddings.embed(envId, lens, request.query());
    Optional<LensSearcher> acquired = index.acquire();
    if (acquired.isEmpty()) {
      return SearchResult.notBuilt();
    }
    try (LensSearcher searcher = acquired.get()) {
      if (!searcher.matchesSchema()) {
        return SearchResult.stale();
      }
      Query filterQuery = IndexFilters.compile(filter, lens.schema());
      List<SearchHit> hits;
      switch (request.mode()) {
        case KEYWORD:
          hits = fetch(searcher, bm25Mapped(keyword(searcher, request.query(), filterQuery, request.limit())));
          break;
        case SEMANTIC:
          hits = fetch(searcher, semantic(searcher, vector, filterQuery, request.limit()));
          break;
        default:
          hits = hybrid(searcher, request, vector, filterQuery);
      }
      return new SearchResult(minScore(hits, request.minScore(), request.limit()));
    } catch (StaleIndexException e) {
      return SearchResult.stale();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rows similar to the seed {@code request.id()}: its stored vector (or, when {@code fields}
   * names a strict subset of the searchable fields, the embedding of the seed's text built from
   * those fields only), KNN under where AND rule filter, the seed itself excluded. A seed the rule
   * filter hides is {@code 404 not_found} with the same message as a missing one. An index
   * written for another shape of the lens answers empty and {@link SearchResult.IndexView#STALE}
   * (whether the seed exists cannot be told until it is rebuilt).
   */
  public SearchResult similar(String envId, LensConfig lens, SimilarRequest request, Optional<Filter> ruleFilter) {
    LensIndex index = indexes.index(envId, lens);
    Filter rule = ruleFilter.orElse(Filters.matchAll());
    Optional<LensSearcher> acquired = index.acquire();
    if (acquired.isEmpty()) {
      throw seedNotFound();
    }
    try (LensSearcher searcher = acquired.get()) {
      if (!searcher.matchesSchema()) {
        return SearchResult.stale();
      }
      int seedDoc = searcher.docOf(request.id()).orElseThrow(SearchEngine::seedNotFound);
      StoredDocument seed = searcher.document(seedDoc);
      if (!visible(rule, seed)) {
        throw seedNotFound();
      }
      Optional<float[]> vector = seedVector(envId, lens, request, searcher, seedDoc, seed);
      if (vector.isEmpty()) {
        return new SearchResult(List.of());
      }
      Query filterQuery = new BooleanQuery.Builder()
          .add(IndexFilters.compile(Filters.and(rule, request.where()), lens.schema()), BooleanClause.Occur.FILTER)
          .add(new TermQuery(new Term(IndexFields.ID, request.id())), BooleanClause.Occur.MUST_NOT)
          .build();
      List<SearchHit> hits = fetch(searcher, semantic(searcher, vector.get(), filterQuery, request.limit()));
      return new SearchResult(minScore(hits, request.minScore(), request.limit()));
    } catch (StaleIndexException e) {
      return SearchResult.stale();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<float[]> seedVector(String envId, LensConfig lens, SimilarRequest request,
      LensSearcher searcher, int seedDoc, StoredDocument seed) {
    if (request.fields().isEmpty() || request.fields().containsAll(lens.searchableFields())) {
      return searcher.vector(seedDoc);
    }
    String text = SearchText.content(lens, RowShaper.shape(lens, List.of(seed.row())).get(0), request.fields(), true);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(embeddings.embed(envId, lens, text));
  }

  private static boolean visible(Filter rule, StoredDocument seed) {
    try {
      return InMemoryPredicate.test(rule, seed.row());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static LensgateException seedNotFound() {
    return new LensgateException(ErrorCode.NOT_FOUND, "no row with this id in this lens");
  }

  // ---------------------------------------------------------------- ranking

  private static ScoreDoc[] keyword(LensSearcher s, String text, Query filter, int k) throws IOException {
    List<String> terms = QueryTerms.of(text);
    if (terms.isEmpty()) {
      return new ScoreDoc[0];
    }
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    for (String t : terms) {
      should.add(new TermQuery(new Term(IndexFields.TEXT, t)), BooleanClause.Occur.SHOULD);
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder().add(should.build(), BooleanClause.Occur.MUST);
    if (!(filter instanceof MatchAllDocsQuery)) {
      q.add(filter, BooleanClause.Occur.FILTER);
    }
    return s.searcher().search(q.build(), k).scoreDocs;
  }

  /** Keyword mode's absolute score: raw BM25 {@code s} as {@code s / (s + 1)}, in place. */
  private static ScoreDoc[] bm25Mapped(ScoreDoc[] docs) {
    for (ScoreDoc d : docs) {
      d.score = d.score / (d.score + 1f);
    }
    return docs;
  }

  private static ScoreDoc[] semantic(LensSearcher s, float[] vector, Query filter, int k) throws IOException {
    float[] unit = unit(vector);
    ScoreDoc[] hits;
    try {
      // The graph search keeps at least KNN_CANDIDATES on its way (HNSW is approximate and a tiny
      // k misses true neighbours); the best k of them are returned.
      Query knn = new org.apache.lucene.search.KnnFloatVectorQuery(IndexFields.VECTOR, unit,
          Math.max(k, KNN_CANDIDATES), filter instanceof MatchAllDocsQuery ? null : filter);
      hits = s.searcher().search(knn, k).scoreDocs;
    } catch (IllegalArgumentException e) {
      // The query vector's size differs from the index's: built with another embedder.
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED,
          "the index was built with another embedder; it must be rebuilt", e);
    }
    // Short of k: fewer rows match, or the graph could not reach them all (near-identical
    // vectors); the exact scan tells which, and fills the limit in the second case.
    return hits.length < k ? ExactKnn.search(s.searcher(), unit, filter, k) : hits;
  }

  private static List<SearchHit> hybrid(LensSearcher s, SearchRequest request, float[] vector, Query filter)
      throws IOException {
    int depth = Math.max(HYBRID_DEPTH, HYBRID_DEPTH_FACTOR * request.limit());
    float[] unit = unit(vector);
    ScoreDoc[] bySemantic = semantic(s, unit, filter, depth);
    List<ScoreFusion.Candidate> candidates =
        HybridCandidates.collect(s, QueryTerms.of(request.query()), unit, bySemantic, filter, depth);
    List<ScoreFusion.Fused> fused = ScoreFusion.fuse(candidates);
    List<SearchHit> out = new ArrayList<>(Math.min(fused.size(), request.limit()));
    for (ScoreFusion.Fused f : fused) {
      if (out.size() == request.limit()) {
        break;
      }
      out.add(new SearchHit(s.document(f.doc()), clamp(f.score())));
    }
    return out;
  }

  private static List<SearchHit> fetch(LensSearcher s, ScoreDoc[] docs) {
    List<SearchHit> out = new ArrayList<>(docs.length);
    for (ScoreDoc d : docs) {
      out.add(new SearchHit(s.document(d.doc), clamp(d.score)));
    }
    return out;
  }

  private static List<SearchHit> minScore(List<SearchHit> hits, double minScore, int limit) {
    List<SearchHit> out = new ArrayList<>(Math.min(hits.size(), limit));
    for (SearchHit h : hits) {
      if (h.score() >= minScore && out.size() < limit) {
        out.add(h);
      }
    }
    return out;
  }

  private static double clamp(double score) {
    return Math.max(0, Math.min(1, score));
  }

  private static float[] unit(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedder returned an invalid vector");
    }
    double norm = Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
