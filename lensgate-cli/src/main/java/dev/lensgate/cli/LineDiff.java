package dev.lensgate.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in unified form ({@code @@ -a,n +b,m @@}, then {@code ' '}, {@code '-'}, {@code '+'}
 * lines) for {@code lensgate push}.
 *
 * <p>Longest common subsequence over the lines between the common prefix and suffix. The table is
 * bounded ({@value #MAX_CELLS} cells); past that the middle is shown as removed-then-added, which is
 * still a correct diff, only not a minimal one.
 */
final class LineDiff {
  static final int MAX_CELLS = 4_000_000;

  private enum Kind { SAME, REMOVED, ADDED }

  /** One line of the edit script with its 1-based position in the old and new text. */
  private record Op(Kind kind, String text, int oldLine, int newLine) {}

  private LineDiff() {}

  /** Lines of {@code text}; a final line break does not start another line, {@code \r\n} counts as one break. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String line : text.split("\n", -1)) {
      out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    if (text.endsWith("\n")) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** The unified diff of {@code before} → {@code after} with {@code context} lines around changes; empty if equal. */
  static List<String> unified(List<String> before, List<String> after, int context) {
    List<Op> ops = script(before, after);
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < ops.size()) {
      int firstChange = nextChange(ops, i);
      if (firstChange < 0) {
        break;
      }
      int start = Math.max(i, firstChange - context);
      int end = firstChange;
      int next = nextChange(ops, end + 1);
      while (next >= 0 && next - end <= 2 * context) {
        end = next;
        next = nextChange(ops, end + 1);
      }
      int stop = Math.min(ops.size(), end + context + 1);
      out.add(header(ops.subList(start, stop)));
      for (Op op : ops.subList(start, stop)) {
        out.add((op.kind() == Kind.SAME ? " " : op.kind() == Kind.REMOVED ? "-" : "+") + op.text());
      }
      i = stop;
    }
    return out;
  }

  private static int nextChange(List<Op> ops, int from) {
    for (int k = from; k < ops.size(); k++) {
      if (ops.get(k).kind() != Kind.SAME) {
        return k;
      }
    }
    return -1;
  }

  private static String header(List<Op> hunk) {
    Op first = hunk.get(0);
    int oldBefore = first.kind() == Kind.ADDED ? first.oldLine() : first.oldLine() - 1;
    int newBefore = first.kind() == Kind.REMOVED ? first.newLine() : first.newLine() - 1;
    int oldCount = 0;
    int newCount = 0;
    for (Op op : hunk) {
      oldCount += op.kind() != Kind.ADDED ? 1 : 0;
      newCount += op.kind() != Kind.REMOVED ? 1 : 0;
    }
    // An empty side names the line before the hunk, as unified diffs do.
    return "@@ -" + (oldCount == 0 ? oldBefore : oldBefore + 1) + "," + oldCount
        + " +" + (newCount == 0 ? newBefore : newBefore + 1) + "," + newCount + " @@";
  }

  private static List<Op> script(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<Op> ops = new ArrayList<>();
    for (int k = 0; k < prefix; k++) {
      ops.add(new Op(Kind.SAME, a.get(k), k + 1, k + 1));
    }
    middle(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix), prefix, ops);
    for (int k = suffix; k > 0; k--) {
      ops.add(new Op(Kind.SAME, a.get(a.size() - k), a.size() - k + 1, b.size() - k + 1));
    }
    return ops;
  }

  /**
   * Appends the edit script of {@code a} → {@code b}; {@code offset} lines precede both. Each op
   * records the old and new line it sits at (for an insertion, the old line is the one before it).
   */
  private static void middle(List<String> a, List<String> b, int offset, List<Op> ops) {
    int n = a.size();
    int m = b.size();
    if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
      for (int k = 0; k < n; k++) {
        ops.add(new Op(Kind.REMOVED, a.get(k), offset + k + 1, offset));
      }
      for (int k = 0; k < m; k++) {
        ops.add(new Op(Kind.ADDED, b.get(k), offset + n, offset + k + 1));
      }
      return;
    }
    int[][] lcs = new int[n + 1][m + 1];
    for (int x = n - 1; x >= 0; x--) {
      for (int y = m - 1; y >= 0; y--) {
        lcs[x][y] = a.get(x).equals(b.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
      }
    }
    int x = 0;
    int y = 0;
    while (x < n || y < m) {
      if (x < n && y < m && a.get(x).equals(b.get(y))) {
        ops.add(new Op(Kind.SAME, a.get(x), offset + x + 1, offset + y + 1));
        x++;
        y++;
      } else if (x < n && (y == m || lcs[x + 1][y] >= lcs[x][y + 1])) {
        ops.add(new Op(Kind.REMOVED, a.get(x), offset + x + 1, offset + y));
        x++;
      } else {
        ops.add(new Op(Kind.ADDED, b.get(y), offset + x, offset + y + 1));
        y++;
      }
    }
  }
}
