package dev.lensgate.core.index;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * One leaf of a {@code where} tree as one clause for Lucene's clause limit
 * ({@link IndexSearcher#getMaxClauseCount()}, 1024 by default, counted over the whole query
 * after rewriting). Without it a leaf such as {@code x != v} (presence term, point query and doc
 * values query) counts three, and a tree within {@link
 * dev.lensgate.core.where.WhereLimits#MERGED} could be refused at search time. Rewrites and
 * weights are the inner query's, so Lucene's optimizations (e.g. choosing points or doc values
 * by cost) are unchanged.
 */
final class FilterLeafQuery extends Query {
  private final Query inner;

  FilterLeafQuery(Query inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    Query rewritten = inner.rewrite(searcher);
    return rewritten == inner ? this : new FilterLeafQuery(rewritten);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    return inner.createWeight(searcher, scoreMode, boost);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "leaf(" + inner.toString(field) + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FilterLeafQuery && inner.equals(((FilterLeafQuery) other).inner);
  }

  @Override
  public int hashCode() {
    return 31 * FilterLeafQuery.class.hashCode() + inner.hashCode();
  }
}
