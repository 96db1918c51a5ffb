package dev.lensgate.core.index;

import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.LikePattern;
import dev.lensgate.core.where.WhereParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * Compiles a {@link Filter} to a Lucene {@link Query} over documents written by
 * {@link LensDocuments} that matches exactly the rows {@link
 * dev.lensgate.core.where.InMemoryPredicate} selects (and so what the SQL compiler selects): the
 * search index's half of "rule filters hold in the index exactly as in SQL".
 *
 * <p><b>Three-valued logic.</b> Lucene matches or not; SQL has TRUE, FALSE and UNKNOWN (NULL
 * operands). Every node is compiled for one <em>polarity</em>: the documents where it is TRUE, or
 * the documents where it is FALSE; UNKNOWN is whatever is in neither. {@code NOT} swaps the
 * polarity, {@code AND}/{@code OR} swap roles under FALSE (De Morgan), and a comparison on field
 * {@code x} is FALSE exactly on "{@code x} is present and the comparison does not hold"
 * (presence is the {@code _present:x} term). So {@code $ne}, {@code $nin} and {@code NOT} never
 * select a row whose field is NULL, like SQL.
 *
 * <p><b>Cost.</b> Comparisons are term, term-range, point-range or automaton queries (with doc
 * values for {@link org.apache.lucene.search.IndexOrDocValuesQuery} when another clause leads), so
 * the query is an efficient pre-filter for KNN. Work that is per document or per distinct value
 * (a post-filter in effect): string values that cannot be terms (over 32766 UTF-8 bytes, unpaired
 * surrogates: checked one by one, only those documents), LIKE patterns too complex to
 * determinize or longer than 200 tokens, and string bounds with unpaired surrogates (each
 * distinct value of the field tested once per segment); string range bounds over 800 UTF-8 bytes
 * use sorted doc values alone (an ordinal comparison per document with a value). See
 * {@link StringFieldQuery} and {@link FieldQueries}.
 *
 * <p><b>Size.</b> Each leaf of the tree is one clause for Lucene's nested-clause limit
 * ({@link org.apache.lucene.search.IndexSearcher#getMaxClauseCount()}, 1024 by default), so any
 * tree within {@link dev.lensgate.core.where.WhereLimits#MERGED} (a rule filter ANDed with a
 * client filter) runs; a tree with more than 1024 leaves is refused by Lucene at search time
 * ({@code IndexSearcher.TooManyNestedClauses}).
 *
 * <p>The result is a constant-score query. Its {@code toString} contains filter values: never log
 * it. Stateless and thread-safe.
 */
public final class LuceneFilterCompiler {
  /** Children of one BooleanQuery; larger AND/OR lists are nested (Lucene refuses over 1024). */
  static final int MAX_CLAUSES_PER_BOOLEAN = 512;

  private LuceneFilterCompiler() {}

  /**
   * @throws dev.lensgate.core.error.LensgateException {@code UNKNOWN_FIELD} if the filter names a
   *     field the lens does not declare (as {@link dev.lensgate.core.where.SqlFilterCompiler})
   * @throws IllegalArgumentException for a value of the wrong type for its field or a pattern
   *     operator on a non-string field (as {@link dev.lensgate.core.where.SqlFilterCompiler})
   */
  public static Query compile(Filter filter, LensSchema lens) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(lens, "lens");
    return new ConstantScoreQuery(filter.accept(new Polarity(lens, true)));
  }

  /** The documents where each node is TRUE ({@code wantTrue}) or FALSE. */
  private static final class Polarity implements Filter.Visitor<Query> {
    private final LensSchema lens;
    private final boolean wantTrue;
    private Polarity opposite;

    Polarity(LensSchema lens, boolean wantTrue) {
      this.lens = lens;
      this.wantTrue = wantTrue;
    }

    private Polarity opposite() {
      if (opposite == null) {
        opposite = new Polarity(lens, !wantTrue);
        opposite.opposite = this;
      }
      return opposite;
    }

    @Override
    public Query and(Filter.And node) {
      return combine(node.children(), wantTrue);
    }

    @Override
    public Query or(Filter.Or node) {
      return combine(node.children(), !wantTrue);
    }

    /** All children in this polarity ({@code all}), or at least one. */
    private Query combine(List<Filter> children, boolean all) {
      List<Query> queries = new ArrayList<>(children.size());
      for (Filter child : children) {
        queries.add(child.accept(this));
      }
      return combineQueries(queries, all);
    }

    /** Nested in groups, so no BooleanQuery has more clauses than Lucene allows in one. */
    private static Query combineQueries(List<Query> queries, boolean all) {
      if (queries.size() > MAX_CLAUSES_PER_BOOLEAN) {
        List<Query> groups = new ArrayList<>();
        for (int from = 0; from < queries.size(); from += MAX_CLAUSES_PER_BOOLEAN) {
          groups.add(combineQueries(
              queries.subList(from, Math.min(queries.size(), from + MAX_CLAUSES_PER_BOOLEAN)), all));
        }
        return combineQueries(groups, all);
      }
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (Query q : queries) {
        b.add(q, all ? BooleanClause.Occur.FILTER : BooleanClause.Occur.SHOULD);
      }
      return b.build();
    }

    @Override
    public Query not(Filter.Not node) {
      return node.child().accept(opposite());
    }

    @Override
    public Query compare(Filter.Compare node) {
      LensField f = field(node.field());
      checkType(f, node.value());
      switch (node.op()) {
        case EQ:
          return leaf(wantTrue ? FieldQueries.eq(f, node.value()) : presentAndNot(f, FieldQueries.eq(f, node.value())));
        case NE:
          return leaf(wantTrue ? presentAndNot(f, FieldQueries.eq(f, node.value())) : FieldQueries.eq(f, node.value()));
        default:
          // A present value fails "x > v" exactly when "x <= v" holds: the complement is a range too.
          return leaf(FieldQueries.range(f, wantTrue ? node.op() : complement(node.op()), node.value()));
      }
    }

    private static Filter.CompareOp complement(Filter.CompareOp op) {
      switch (op) {
        case GT: return Filter.CompareOp.LTE;
        case GTE: return Filter.CompareOp.LT;
        case LT: return Filter.CompareOp.GTE;
        case LTE: return Filter.CompareOp.GT;
        default: throw new IllegalStateException("not a range operator: " + op);
      }
    }

    @Override
    public Query in(Filter.In node) {
      if (node.values().isEmpty()) {
        // A constant, even for a NULL field (as InMemoryPredicate and the SQL compiler).
        return constant(node.negated() == wantTrue);
      }
      LensField f = field(node.field());
      for (Object v : node.values()) {
        checkType(f, v);
      }
      Query members = FieldQueries.in(f, node.values());
      return leaf(node.negated() == wantTrue ? presentAndNot(f, members) : members);
    }

    @Override
    public Query like(Filter.Like node) {
      LensField f = stringField(node.field());
      return truthOf(f, FieldQueries.like(f, LikePattern.parse(node.pattern()), node.caseInsensitive()));
    }

    @Override
    public Query textMatch(Filter.TextMatch node) {
      LensField f = stringField(node.field());
      return truthOf(f, FieldQueries.like(f, LikePattern.literal(node.value(), node.op()), false));
    }

    @Override
    public Query exists(Filter.Exists node) {
      LensField f = field(node.field());
      Query present = FieldQueries.present(f);
      if (node.exists() == wantTrue) {
        return present;
      }
      return leaf(new BooleanQuery.Builder()
          .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
          .add(present, BooleanClause.Occur.MUST_NOT)
          .build());
    }

    @Override
    public Query matchAll(Filter.MatchAll node) {
      return constant(wantTrue);
    }

    @Override
    public Query matchNone(Filter.MatchNone node) {
      return constant(!wantTrue);
    }

    /** {@code positive} (TRUE set of a leaf on {@code f}) in this polarity. */
    private Query truthOf(LensField f, Query positive) {
      return leaf(wantTrue ? positive : presentAndNot(f, positive));
    }

    private static Query leaf(Query q) {
      return new FilterLeafQuery(q);
    }

    private static Query presentAndNot(LensField f, Query positive) {
      return new BooleanQuery.Builder()
          .add(FieldQueries.present(f), BooleanClause.Occur.FILTER)
          .add(positive, BooleanClause.Occur.MUST_NOT)
          .build();
    }

    private static Query constant(boolean matchesEverything) {
      return matchesEverything ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
    }

    private LensField field(String name) {
      return lens.field(name).orElseThrow(() -> WhereParser.unknownField(name));
    }

    private LensField stringField(String name) {
      LensField f = field(name);
      if (f.type() != FieldType.STRING) {
        throw new IllegalArgumentException("pattern match on non-string field '" + f.name() + "'");
      }
      return f;
    }

    private static void checkType(LensField f, Object value) {
      Class<?> expected = FieldValues.javaType(f.type());
      if (!expected.isInstance(value)) {
        throw new IllegalArgumentException("value for field '" + f.name() + "' is not a " + expected.getSimpleName());
      }
    }
  }
}
