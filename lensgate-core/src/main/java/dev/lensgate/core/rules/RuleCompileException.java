package dev.lensgate.core.rules;

/**
 * A rule expression that does not parse or type-check. Carries the position inside the expression
 * (1-based line and column) so the config validator can point at it.
 */
public final class RuleCompileException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;
  private final String detail;

  RuleCompileException(int line, int column, String detail) {
    super(line + ":" + column + ": " + detail);
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  /** 1-based line inside the expression. */
  public int line() { return line; }

  /** 1-based column inside the expression (in code points). */
  public int column() { return column; }

  /** The problem without its position. */
  public String detail() { return detail; }
}
