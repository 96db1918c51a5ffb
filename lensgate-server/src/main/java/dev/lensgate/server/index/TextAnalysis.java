package dev.lensgate.server.index;

import java.util.Arrays;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * The one analyzer of the keyword text, used when indexing and when reading a keyword query, so
 * both sides produce the same terms: Unicode word breaks, lower case, and common English function
 * words dropped (without them BM25 ranks rows by words like "for", "my" or "at", which buries the
 * words that carry the meaning, and hybrid fusion inherits that noise). Thread-safe.
 */
public final class TextAnalysis {
  /** Function words that say nothing about what a row is about. */
  static final CharArraySet STOP_WORDS = CharArraySet.unmodifiableSet(new CharArraySet(Arrays.asList(
      "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "has", "have",
      "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "so",
      "some", "something", "such", "than", "that", "the", "their", "them", "then", "there", "these",
      "they", "this", "to", "too", "us", "was", "we", "were", "what", "when", "where", "which", "while",
      "who", "will", "with", "you", "your"), false));

  private TextAnalysis() {}

  /** A new analyzer (Lucene analyzers hold per-thread state; one per writer or holder is fine). */
  public static Analyzer analyzer() {
    return new StandardAnalyzer(STOP_WORDS);
  }
}
