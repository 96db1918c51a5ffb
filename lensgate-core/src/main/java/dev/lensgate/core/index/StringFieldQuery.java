package dev.lensgate.core.index;

import java.io.IOException;
import java.util.function.Predicate;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * One predicate on a STRING lens field, exact for every stored value:
 * <ul>
 *   <li>values that are terms ({@link SortableBytes#indexableString}) are matched by the
 *       {@code indexed} query (terms, ranges, automata), or, when it is null, by testing each
 *       distinct value of the segment's sorted doc values once (the fallback for patterns too
 *       complex to determinize and for bounds that are not well-formed text);</li>
 *   <li>the rare values that are not terms (longer than 32766 UTF-8 bytes, unpaired surrogates)
 *       are tested one by one from {@code f.x.raw}: a post-filter over those documents only.</li>
 * </ul>
 * One leaf for Lucene's clause limit. Never cached (the predicate has no value identity) and its
 * {@code toString} names only the field.
 */
final class StringFieldQuery extends Query {
  private final String lensField;
  private final Query indexed;
  private final Predicate<String> test;

  /**
   * @param indexed the query over term values, or null to test every distinct term with {@code test}
   * @param test the predicate itself (applied to values that are not terms, and with a null
   *     {@code indexed})
   */
  StringFieldQuery(String lensField, Query indexed, Predicate<String> test) {
    this.lensField = lensField;
    this.indexed = indexed;
    this.test = test;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    Weight inner = indexed == null ? null : searcher.createWeight(searcher.rewrite(indexed), scoreMode, boost);
    if (inner != null && !hasRawValues(searcher)) {
      // The usual case: every value is a term, so the indexed query alone is exact (and keeps
      // Lucene's caching and cost-based choices).
      return inner;
    }
    return new ConstantScoreWeight(this, boost) {
      @Override
      public Scorer scorer(LeafReaderContext context) throws IOException {
        DocIdSetIterator termMatches = inner == null ? scanTerms(context) : iterator(inner.scorer(context));
        FixedBitSet others = scanRaw(context);
        DocIdSetIterator it;
        if (others == null) {
          it = termMatches;
        } else {
          if (termMatches != null) {
            others.or(termMatches);
          }
          it = new BitSetIterator(others, others.cardinality());
        }
        return it == null ? null : new ConstantScoreScorer(this, score(), scoreMode, it);
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false;
      }
    };
  }

  private boolean hasRawValues(IndexSearcher searcher) {
    String raw = LensDocuments.rawField(lensField);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      if (leaf.reader().getFieldInfos().fieldInfo(raw) != null) {
        return true;
      }
    }
    return false;
  }

  private static DocIdSetIterator iterator(Scorer scorer) {
    return scorer == null ? null : scorer.iterator();
  }

  private DocIdSetIterator scanTerms(LeafReaderContext context) throws IOException {
    SortedDocValues values = context.reader().getSortedDocValues(LensDocuments.luceneField(lensField));
    if (values == null) {
      return null;
    }
    int distinct = values.getValueCount();
    FixedBitSet matchingOrds = new FixedBitSet(Math.max(1, distinct));
    for (int ord = 0; ord < distinct; ord++) {
      if (test.test(values.lookupOrd(ord).utf8ToString())) {
        matchingOrds.set(ord);
      }
    }
    FixedBitSet docs = new FixedBitSet(context.reader().maxDoc());
    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
      if (matchingOrds.get(values.ordValue())) {
        docs.set(doc);
      }
    }
    return new BitSetIterator(docs, docs.cardinality());
  }

  private FixedBitSet scanRaw(LeafReaderContext context) throws IOException {
    BinaryDocValues raw = context.reader().getBinaryDocValues(LensDocuments.rawField(lensField));
    if (raw == null) {
      return null;
    }
    FixedBitSet docs = null;
    for (int doc = raw.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = raw.nextDoc()) {
      if (test.test(SortableBytes.fromUtf16(raw.binaryValue()))) {
        if (docs == null) {
          docs = new FixedBitSet(context.reader().maxDoc());
        }
        docs.set(doc);
      }
    }
    return docs;
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(LensDocuments.luceneField(lensField))) {
      visitor.visitLeaf(this);
    }
  }

  @Override
  public String toString(String field) {
    return "StringFieldQuery(" + lensField + (indexed == null ? ", scan)" : ")");
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
