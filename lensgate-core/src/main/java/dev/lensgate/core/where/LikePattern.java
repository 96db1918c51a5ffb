package dev.lensgate.core.where;

import java.util.Arrays;

/**
 * A parsed LIKE pattern: literal code points and the two wildcards. Client patterns use {@code \}
 * as the escape character (CONTRACT §4); SQL is always rendered with {@link #SQL_ESCAPE} instead,
 * because a backslash inside a SQL string literal means different things on MariaDB depending on
 * the server's {@code sql_mode} (NO_BACKSLASH_ESCAPES), and {@code !} means the same everywhere.
 *
 * <p>Matching works on Unicode code points ({@code _} is one code point) in O(n·m) time with no
 * recursion, so a hostile pattern such as {@code %a%a%a%…} cannot blow up.
 *
 * <p>Public (read-only) for the search index's compiler ({@code dev.lensgate.core.index}), which
 * turns {@link #tokens()} into an automaton and falls back to {@link #matches} where it cannot.
 */
public final class LikePattern {
  static final char SQL_ESCAPE = '!';
  /** Token of {@link #tokens()}: {@code _}, exactly one code point. */
  public static final int ANY_ONE = -1;
  /** Token of {@link #tokens()}: {@code %}, any run of code points (also none). */
  public static final int ANY_MANY = -2;

  private final int[] tokens;

  private LikePattern(int[] tokens) {
    this.tokens = tokens;
  }

  /**
   * Parses a client pattern: {@code %} any run, {@code _} one character, {@code \x} the literal x.
   *
   * @throws IllegalArgumentException on a trailing, unescaped {@code \}
   */
  public static LikePattern parse(String pattern) {
    int[] cps = pattern.codePoints().toArray();
    int[] out = new int[cps.length];
    int n = 0;
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '\\') {
        if (i + 1 == cps.length) {
          throw new IllegalArgumentException("LIKE pattern ends with an unescaped backslash");
        }
        out[n++] = cps[++i];
      } else if (c == '%') {
        out[n++] = ANY_MANY;
      } else if (c == '_') {
        out[n++] = ANY_ONE;
      } else {
        out[n++] = c;
      }
    }
    return new LikePattern(Arrays.copyOf(out, n));
  }

  /** The pattern equivalent to a literal substring test. */
  public static LikePattern literal(String text, Filter.TextOp op) {
    int[] cps = text.codePoints().toArray();
    boolean leading = op != Filter.TextOp.STARTS_WITH;
    boolean trailing = op != Filter.TextOp.ENDS_WITH;
    int[] out = new int[cps.length + 2];
    int n = 0;
    if (leading) {
      out[n++] = ANY_MANY;
    }
    for (int c : cps) {
      out[n++] = c;
    }
    if (trailing) {
      out[n++] = ANY_MANY;
    }
    return new LikePattern(Arrays.copyOf(out, n));
  }

  /** Tests {@code subject}; with {@code asciiFold}, A–Z match a–z on both sides. */
  public boolean matches(String subject, boolean asciiFold) {
    int[] s = subject.codePoints().toArray();
    int si = 0;
    int pi = 0;
    int starPi = -1;
    int starSi = -1;
    while (si < s.length) {
      if (pi < tokens.length && (tokens[pi] == ANY_ONE
          || (tokens[pi] >= 0 && same(tokens[pi], s[si], asciiFold)))) {
        si++;
        pi++;
      } else if (pi < tokens.length && tokens[pi] == ANY_MANY) {
        starPi = pi++;
        starSi = si;
      } else if (starPi >= 0) {
        pi = starPi + 1;
        si = ++starSi;
      } else {
        return false;
      }
    }
    while (pi < tokens.length && tokens[pi] == ANY_MANY) {
      pi++;
    }
    return pi == tokens.length;
  }

  /** The pattern as code points (literals, already unescaped) and {@link #ANY_ONE}/{@link #ANY_MANY}; a copy. */
  public int[] tokens() {
    return tokens.clone();
  }

  /** The SQL pattern text, escaped with {@link #SQL_ESCAPE}; ASCII-lower-cased with {@code asciiFold}. */
  String toSql(boolean asciiFold) {
    StringBuilder b = new StringBuilder(tokens.length + 8);
    for (int t : tokens) {
      if (t == ANY_MANY) {
        b.append('%');
      } else if (t == ANY_ONE) {
        b.append('_');
      } else {
        if (t == '%' || t == '_' || t == SQL_ESCAPE) {
          b.append(SQL_ESCAPE);
        }
        b.appendCodePoint(asciiFold ? asciiLower(t) : t);
      }
    }
    return b.toString();
  }

  private static boolean same(int a, int b, boolean asciiFold) {
    return asciiFold ? asciiLower(a) == asciiLower(b) : a == b;
  }

  /** A–Z to a–z; every other code point unchanged (the folding of {@code $ilike}). */
  public static int asciiLower(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }
}
