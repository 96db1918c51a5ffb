package dev.lensgate.server.index;

import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.InMemoryPredicate;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

/**
 * A filter query that selects the documents whose stored row satisfies a {@link Filter} under
 * {@link InMemoryPredicate}: the same rows as SQL by construction, since the in-memory predicate
 * is the reference the SQL compiler is tested against. It reads every candidate's stored row, so
 * it is linear in the segment size; the structured compiler (indexed fields) replaces it where it
 * can. Constant score; never cached (the filter is per request).
 */
final class PredicateQuery extends Query {
  private final Filter filter;

  PredicateQuery(Filter filter) {
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public Scorer scorer(LeafReaderContext context) throws IOException {
        StoredFields stored = context.reader().storedFields();
        DocIdSetIterator all = DocIdSetIterator.all(context.reader().maxDoc());
        TwoPhaseIterator twoPhase = new TwoPhaseIterator(all) {
          @Override
          public boolean matches() throws IOException {
            org.apache.lucene.document.Document doc = stored.document(approximation.docID(), Set.of(IndexFields.ROW));
            org.apache.lucene.util.BytesRef bytes = doc.getBinaryValue(IndexFields.ROW);
            if (bytes == null) {
              return false;
            }
            byte[] copy = java.util.Arrays.copyOfRange(bytes.bytes, bytes.offset, bytes.offset + bytes.length);
            Map<String, Object> row = StoredRows.decode(copy);
            try {
              return InMemoryPredicate.test(filter, row);
            } catch (IllegalArgumentException e) {
              return false; // a value of the wrong type for its comparison is "not selected"
            }
          }

          @Override
          public float matchCost() {
            return 1000f;
          }
        };
        return new ConstantScoreScorer(this, score(), scoreMode, twoPhase);
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "PredicateQuery";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && filter.equals(((PredicateQuery) other).filter);
  }

  @Override
  public int hashCode() {
    return classHash() * 31 + filter.hashCode();
  }
}
