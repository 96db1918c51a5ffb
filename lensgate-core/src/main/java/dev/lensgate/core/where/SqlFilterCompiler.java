package dev.lensgate.core.where;

import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Compiles a {@link Filter} to a jOOQ {@link Condition} for PostgreSQL, MariaDB or H2. Columns
 * come from the lens mapping and are quoted by jOOQ; every value is a bind parameter (the only
 * inlined literals are constants of this class: the LIKE escape {@code '!'} and the A–Z/a–z
 * alphabets of {@code $ilike}). The condition selects exactly the rows {@link InMemoryPredicate}
 * selects; see {@link SqlColumns} for how strings are made exact and for the remaining dialect
 * limits.
 *
 * <p>Never log the rendered condition or a query built from it with {@code toString()}: jOOQ
 * inlines bind values there.
 */
public final class SqlFilterCompiler {
  private SqlFilterCompiler() {}

  /**
   * @throws dev.lensgate.core.error.LensgateException {@code UNKNOWN_FIELD} if the filter names a
   *     field the lens does not declare
   * @throws IllegalArgumentException for an unsupported dialect or a value of the wrong type
   */
  public static Condition compile(Filter f, LensSchema lens, SQLDialect dialect) {
    return compile(f, SqlColumns.of(lens, dialect));
  }

  public static Condition compile(Filter f, SqlColumns columns) {
    return f.accept(new Compiler(columns));
  }

  private static final class Compiler implements Filter.Visitor<Condition> {
    private final SqlColumns cols;

    Compiler(SqlColumns cols) {
      this.cols = cols;
    }

    @Override
    public Condition and(Filter.And node) {
      return DSL.and(children(node.children()));
    }

    @Override
    public Condition or(Filter.Or node) {
      return DSL.or(children(node.children()));
    }

    private List<Condition> children(List<Filter> filters) {
      List<Condition> out = new ArrayList<>(filters.size());
      for (Filter f : filters) {
        out.add(f.accept(this));
      }
      return out;
    }

    @Override
    public Condition not(Filter.Not node) {
      return DSL.not(node.child().accept(this));
    }

    @Override
    public Condition compare(Filter.Compare node) {
      LensField f = cols.field(node.field());
      checkType(f, node.value());
      Field<Object> expr = cols.comparable(f);
      Field<Object> v = DSL.val(cols.bindValue(f, node.value()), cols.column(f));
      switch (node.op()) {
        case EQ: return expr.eq(v);
        case NE: return expr.ne(v);
        case GT: return expr.gt(v);
        case GTE: return expr.ge(v);
        case LT: return expr.lt(v);
        case LTE: return expr.le(v);
        default: throw new IllegalStateException("unhandled operator " + node.op());
      }
    }

    @Override
    public Condition in(Filter.In node) {
      if (node.values().isEmpty()) {
        // Explicit constants (not "IN ()"), matching InMemoryPredicate for NULL fields too.
        return node.negated() ? DSL.trueCondition() : DSL.falseCondition();
      }
      LensField f = cols.field(node.field());
      Field<Object> column = cols.column(f);
      List<Field<Object>> params = new ArrayList<>(node.values().size());
      for (Object value : node.values()) {
        checkType(f, value);
        params.add(DSL.val(cols.bindValue(f, value), column));
      }
      Field<Object> expr = cols.comparable(f);
      return node.negated() ? expr.notIn(params) : expr.in(params);
    }

    @Override
    public Condition like(Filter.Like node) {
      return like(node.field(), LikePattern.parse(node.pattern()), node.caseInsensitive());
    }

    @Override
    public Condition textMatch(Filter.TextMatch node) {
      return like(node.field(), LikePattern.literal(node.value(), node.op()), false);
    }

    private Condition like(String fieldName, LikePattern pattern, boolean caseInsensitive) {
      LensField f = cols.field(fieldName);
      requireString(f);
      Field<Object> expr = cols.comparable(f);
      @SuppressWarnings("unchecked")
      Field<String> subject = caseInsensitive ? cols.asciiLower(expr) : (Field<String>) (Field<?>) expr;
      return subject.like(DSL.val(pattern.toSql(caseInsensitive), String.class)).escape(LikePattern.SQL_ESCAPE);
    }

    @Override
    public Condition exists(Filter.Exists node) {
      Field<Object> column = cols.column(cols.field(node.field()));
      return node.exists() ? column.isNotNull() : column.isNull();
    }

    @Override
    public Condition matchAll(Filter.MatchAll node) {
      return DSL.trueCondition();
    }

    @Override
    public Condition matchNone(Filter.MatchNone node) {
      return DSL.falseCondition();
    }

    private static void checkType(LensField f, Object value) {
      Class<?> expected = FieldValues.javaType(f.type());
      if (!expected.isInstance(value)) {
        throw new IllegalArgumentException("value for field '" + f.name() + "' is not a " + expected.getSimpleName());
      }
    }

    private static void requireString(LensField f) {
      if (f.type() != dev.lensgate.core.lens.FieldType.STRING) {
        throw new IllegalArgumentException("pattern match on non-string field '" + f.name() + "'");
      }
    }
  }
}
