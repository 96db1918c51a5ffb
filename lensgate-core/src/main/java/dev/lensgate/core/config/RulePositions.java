package dev.lensgate.core.config;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Maps a position inside a rule expression to a position in the file. Exact when the rule is a
 * one-line plain or quoted scalar without escapes, or a literal block ({@code |}); otherwise the
 * scalar's own start (the message still carries the position inside the rule).
 */
final class RulePositions {
  private final String[] lines;

  RulePositions(String text) {
    this.lines = text.split("\r?\n|\r", -1);
  }

  /** @return {line, column}, both 1-based */
  int[] locate(ScalarNode node, int exprLine, int exprColumn) {
    Mark start = node.getStartMark().orElse(null);
    if (start == null) {
      return new int[] {1, 1};
    }
    int line0 = start.getLine();
    int col0 = start.getColumn();
    int[] fallback = {line0 + 1, col0 + 1};
    String value = node.getValue();
    ScalarStyle style = node.getScalarStyle();
    if (style == ScalarStyle.LITERAL) {
      return inLiteralBlock(value, line0, exprLine, exprColumn).orElse(fallback);
    }
    if (exprLine != 1 || value.indexOf('\n') >= 0 || line0 >= lines.length) {
      return fallback;
    }
    int offset = style == ScalarStyle.PLAIN ? 0 : 1;
    boolean verbatim = style == ScalarStyle.PLAIN || style == ScalarStyle.SINGLE_QUOTED || style == ScalarStyle.DOUBLE_QUOTED;
    if (verbatim && lines[line0].regionMatches(col0 + offset, value, 0, value.length())) {
      return new int[] {line0 + 1, col0 + offset + exprColumn};
    }
    return fallback;
  }

  private java.util.Optional<int[]> inLiteralBlock(String value, int indicatorLine0, int exprLine, int exprColumn) {
    String[] valueLines = value.split("\n", -1);
    int fileLine0 = indicatorLine0 + exprLine;
    if (exprLine < 1 || exprLine > valueLines.length || fileLine0 >= lines.length) {
      return java.util.Optional.empty();
    }
    String fileLine = lines[fileLine0];
    String expected = valueLines[exprLine - 1];
    // The block's indentation is what the file line has beyond the value line's own leading spaces.
    int indent = leadingSpaces(fileLine) - leadingSpaces(expected);
    if (indent < 0 || !fileLine.startsWith(expected, indent)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new int[] {fileLine0 + 1, indent + exprColumn});
  }

  private static int leadingSpaces(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
