package dev.lensgate.server.index;

import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Compiles a {@code where}/rule {@link Filter} to the Lucene filter query applied before top-k in
 * every search mode. Match-all and match-none short-cut; everything else is evaluated on the
 * stored row with the in-memory predicate ({@link PredicateQuery}), whose semantics are the SQL
 * compiler's by construction. Stateless.
 */
public final class IndexFilters {
  private IndexFilters() {}

  public static Query compile(Filter filter, LensSchema schema) {
    if (filter instanceof Filter.MatchAll) {
      return new MatchAllDocsQuery();
    }
    if (filter instanceof Filter.MatchNone) {
      return new MatchNoDocsQuery();
    }
    return new PredicateQuery(filter);
  }
}
