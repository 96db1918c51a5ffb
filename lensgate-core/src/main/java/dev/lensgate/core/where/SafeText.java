package dev.lensgate.core.where;

/**
 * Renders untrusted names (field names, operators) for error messages: only {@code [A-Za-z0-9_$]}
 * survive, everything else becomes {@code ?}, and the result is cut to {@value #MAX_CHARS} chars.
 * A client-controlled name can therefore never inject quotes, markup, control characters or log
 * lines into a response or a log.
 */
public final class SafeText {
  static final int MAX_CHARS = 64;

  private SafeText() {}

  public static String name(String untrusted) {
    if (untrusted == null) {
      return "null";
    }
    int limit = Math.min(untrusted.length(), MAX_CHARS);
    StringBuilder b = new StringBuilder(limit + 3);
    for (int i = 0; i < limit; i++) {
      char c = untrusted.charAt(i);
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '$';
      b.append(safe ? c : '?');
    }
    if (untrusted.length() > MAX_CHARS) {
      b.append("...");
    }
    return b.toString();
  }
}
