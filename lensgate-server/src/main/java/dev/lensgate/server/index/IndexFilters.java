package dev.lensgate.server.index;

import dev.lensgate.core.index.LuceneFilterCompiler;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Compiles a {@code where}/rule {@link Filter} to the Lucene filter query applied before top-k in
 * every search mode: match-all and match-none short-cut, everything else is the shared where
 * compiler's query over the filter fields {@link dev.lensgate.core.index.LensDocuments} writes
 * ({@link LuceneFilterCompiler}: the SQL compiler's semantics, tested against the in-memory
 * predicate). Stateless.
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
    return LuceneFilterCompiler.compile(filter, schema);
  }
}
