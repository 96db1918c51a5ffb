package dev.lensgate.core.index;

import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.where.FieldValues;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.LikePattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.lucene.document.BinaryPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * The positive leaf queries of {@link LuceneFilterCompiler}, per field type, over the fields
 * {@link LensDocuments} writes. Each matches exactly the documents whose field is non-null and
 * satisfies the test (TRUE in three-valued logic); values are already type-checked.
 */
final class FieldQueries {
  /** Determinization budget for LIKE automata; past it the pattern is tested per distinct value. */
  static final int LIKE_DETERMINIZE_WORK_LIMIT = Operations.DEFAULT_DETERMINIZE_WORK_LIMIT;
  /**
   * Longest LIKE pattern (tokens) and range bound (UTF-8 bytes) turned into an automaton: Lucene
   * refuses automata deeper than 1000 states ({@code Operations.isFinite}), and a code point can
   * take four. Longer patterns are tested per distinct value; longer bounds use the sorted doc
   * values alone (ordinal comparisons per document).
   */
  static final int MAX_AUTOMATON_TOKENS = 200;
  static final int MAX_TERM_RANGE_BOUND_BYTES = 800;

  private FieldQueries() {}

  static Query present(LensField f) {
    return new TermQuery(new Term(LensDocuments.PRESENT_FIELD, f.name()));
  }

  static Query eq(LensField f, Object value) {
    String name = LensDocuments.luceneField(f.name());
    switch (f.type()) {
      case STRING: {
        String s = (String) value;
        Query terms = SortableBytes.indexableString(s) ? new TermQuery(new Term(name, s)) : new MatchNoDocsQuery();
        return new StringFieldQuery(f.name(), terms, s::equals);
      }
      case NUMBER:
        return new TermQuery(new Term(name, SortableBytes.decimal((BigDecimal) value)));
      case TIMESTAMP:
        return instantRange(name, (Instant) value, (Instant) value);
      default: {
        long k = LensDocuments.longKey(value);
        return longRange(name, k, k);
      }
    }
  }

  /** {@code field IN (values)} for a non-empty list. */
  static Query in(LensField f, List<Object> values) {
    String name = LensDocuments.luceneField(f.name());
    switch (f.type()) {
      case STRING: {
        Set<String> set = new HashSet<>();
        List<BytesRef> terms = new ArrayList<>();
        for (Object v : values) {
          String s = (String) v;
          set.add(s);
          if (SortableBytes.indexableString(s)) {
            terms.add(new BytesRef(s));
          }
        }
        Query indexed = terms.isEmpty() ? new MatchNoDocsQuery() : new TermInSetQuery(name, terms);
        return new StringFieldQuery(f.name(), indexed, set::contains);
      }
      case NUMBER: {
        List<BytesRef> terms = new ArrayList<>();
        for (Object v : values) {
          terms.add(SortableBytes.decimal((BigDecimal) v));
        }
        return new TermInSetQuery(name, terms);
      }
      case TIMESTAMP: {
        byte[][] keys = new byte[values.size()][];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = SortableBytes.instant((Instant) values.get(i));
        }
        return BinaryPoint.newSetQuery(name, keys);
      }
      default: {
        long[] keys = new long[values.size()];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = LensDocuments.longKey(values.get(i));
        }
        return LongPoint.newSetQuery(name, keys);
      }
    }
  }

  /** {@code field op value} for GT, GTE, LT, LTE. */
  static Query range(LensField f, Filter.CompareOp op, Object value) {
    String name = LensDocuments.luceneField(f.name());
    boolean lower = op == Filter.CompareOp.GT || op == Filter.CompareOp.GTE;
    boolean inclusive = op == Filter.CompareOp.GTE || op == Filter.CompareOp.LTE;
    switch (f.type()) {
      case STRING: {
        String s = (String) value;
        Predicate<String> test = rangeTest(op, s);
        if (!SortableBytes.wellFormed(s)) {
          return new StringFieldQuery(f.name(), null, test);
        }
        BytesRef bound = new BytesRef(s);
        Query indexed = bound.length > MAX_TERM_RANGE_BOUND_BYTES
            ? docValuesRange(name, bound, lower, inclusive) : bytesRange(name, bound, lower, inclusive);
        return new StringFieldQuery(f.name(), indexed, test);
      }
      case NUMBER:
        return bytesRange(name, SortableBytes.decimal((BigDecimal) value), lower, inclusive);
      case TIMESTAMP: {
        Instant v = (Instant) value;
        if (!inclusive) {
          if (lower ? v.equals(Instant.MAX) : v.equals(Instant.MIN)) {
            return new MatchNoDocsQuery();
          }
          v = lower ? v.plusNanos(1) : v.minusNanos(1);
        }
        return lower ? instantRange(name, v, Instant.MAX) : instantRange(name, Instant.MIN, v);
      }
      default: {
        long k = LensDocuments.longKey(value);
        if (!inclusive) {
          if (lower ? k == Long.MAX_VALUE : k == Long.MIN_VALUE) {
            return new MatchNoDocsQuery();
          }
          k = lower ? k + 1 : k - 1;
        }
        return lower ? longRange(name, k, Long.MAX_VALUE) : longRange(name, Long.MIN_VALUE, k);
      }
    }
  }

  private static Predicate<String> rangeTest(Filter.CompareOp op, String bound) {
    switch (op) {
      case GT: return s -> FieldValues.compare(s, bound) > 0;
      case GTE: return s -> FieldValues.compare(s, bound) >= 0;
      case LT: return s -> FieldValues.compare(s, bound) < 0;
      case LTE: return s -> FieldValues.compare(s, bound) <= 0;
      default: throw new IllegalStateException("not a range operator: " + op);
    }
  }

  private static Query bytesRange(String name, BytesRef bound, boolean lower, boolean inclusive) {
    BytesRef lo = lower ? bound : null;
    BytesRef hi = lower ? null : bound;
    return new IndexOrDocValuesQuery(
        new TermRangeQuery(name, lo, hi, inclusive, inclusive),
        SortedDocValuesField.newSlowRangeQuery(name, lo, hi, inclusive, inclusive));
  }

  private static Query docValuesRange(String name, BytesRef bound, boolean lower, boolean inclusive) {
    return SortedDocValuesField.newSlowRangeQuery(name, lower ? bound : null, lower ? null : bound, inclusive, inclusive);
  }

  private static Query longRange(String name, long lo, long hi) {
    return new IndexOrDocValuesQuery(
        LongPoint.newRangeQuery(name, lo, hi), NumericDocValuesField.newSlowRangeQuery(name, lo, hi));
  }

  private static Query instantRange(String name, Instant lo, Instant hi) {
    byte[] l = SortableBytes.instant(lo);
    byte[] h = SortableBytes.instant(hi);
    return new IndexOrDocValuesQuery(BinaryPoint.newRangeQuery(name, l, h),
        SortedDocValuesField.newSlowRangeQuery(name, new BytesRef(l), new BytesRef(h), true, true));
  }

  /**
   * LIKE (and the literal substring tests) as an automaton over the terms, with A–Z/a–z as one
   * letter under {@code asciiFold}. A pattern whose automaton would be too large to determinize
   * (e.g. {@code %a______________%}) is tested per distinct value instead: exact, and linear in
   * the number of distinct values of the field in each segment.
   */
  static Query like(LensField f, LikePattern pattern, boolean asciiFold) {
    Predicate<String> test = s -> pattern.matches(s, asciiFold);
    int[] tokens = pattern.tokens();
    if (tokens.length > MAX_AUTOMATON_TOKENS) {
      return new StringFieldQuery(f.name(), null, test);
    }
    List<Automaton> parts = new ArrayList<>(tokens.length);
    for (int t : tokens) {
      if (t == LikePattern.ANY_MANY) {
        parts.add(Automata.makeAnyString());
      } else if (t == LikePattern.ANY_ONE) {
        parts.add(Automata.makeAnyChar());
      } else if (t >= Character.MIN_SURROGATE && t <= Character.MAX_SURROGATE) {
        // Only a value with an unpaired surrogate can match, and those are never terms.
        return new StringFieldQuery(f.name(), new MatchNoDocsQuery(), test);
      } else {
        parts.add(literal(t, asciiFold));
      }
    }
    Automaton automaton = parts.isEmpty() ? Automata.makeEmptyString() : Operations.concatenate(parts);
    Query indexed;
    try {
      automaton = Operations.determinize(automaton, LIKE_DETERMINIZE_WORK_LIMIT);
      indexed = new AutomatonQuery(new Term(LensDocuments.luceneField(f.name())), automaton, LIKE_DETERMINIZE_WORK_LIMIT);
    } catch (TooComplexToDeterminizeException | IllegalArgumentException e) {
      // Too large for Lucene's automata: exact per-value testing instead.
      indexed = null;
    }
    return new StringFieldQuery(f.name(), indexed, test);
  }

  private static Automaton literal(int codePoint, boolean asciiFold) {
    int lower = asciiFold ? LikePattern.asciiLower(codePoint) : codePoint;
    if (asciiFold && lower >= 'a' && lower <= 'z') {
      return Operations.union(Automata.makeChar(lower), Automata.makeChar(lower - ('a' - 'A')));
    }
    return Automata.makeChar(codePoint);
  }
}
