package dev.lensgate.cli;

import dev.lensgate.client.Row;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Prints rows as an aligned, borderless table (header first), for terminals. */
final class Table {
  private static final int MAX_CELL = 60;

  private Table() {}

  static void print(PrintWriter out, List<Row> rows) {
    Set<String> columns = new LinkedHashSet<>();
    for (Row r : rows) {
      columns.addAll(r.fieldNames());
    }
    List<String> cols = new ArrayList<>(columns);
    int[] widths = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      widths[i] = cols.get(i).length();
      for (Row r : rows) {
        widths[i] = Math.max(widths[i], cell(r, cols.get(i)).length());
      }
    }
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      header.append(pad(cols.get(i), widths[i])).append(i + 1 < cols.size() ? "  " : "");
    }
    out.println(header.toString().stripTrailing());
    for (Row r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols.size(); i++) {
        line.append(pad(cell(r, cols.get(i)), widths[i])).append(i + 1 < cols.size() ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String cell(Row r, String column) {
    Object v = r.has(column) ? r.get(column) : null;
    String s = v == null ? "" : v.toString().replace('\n', ' ');
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
