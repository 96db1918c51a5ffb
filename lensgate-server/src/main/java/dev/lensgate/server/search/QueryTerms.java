package dev.lensgate.server.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A keyword query's terms: the text run through the same analyzer as the indexed text
 * ({@link dev.lensgate.server.index.TextAnalysis}), distinct, at most {@value #MAX_TERMS}. No
 * query syntax: the text is words, never operators. Thread-safe.
 */
final class QueryTerms {
  static final int MAX_TERMS = 256;
  private static final Analyzer ANALYZER = dev.lensgate.server.index.TextAnalysis.analyzer();

  private QueryTerms() {}

  static List<String> of(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = ANALYZER.tokenStream("q", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && terms.size() < MAX_TERMS) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(terms);
  }
}
