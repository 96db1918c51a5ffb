package dev.lensgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How list commands print: one item per line, id first, columns separated by at least two spaces
 * and aligned, no header and no borders (so {@code awk '{print $1}'} yields the ids); or a JSON
 * array with {@code --json}. Cells never contain whitespace: blanks become {@code -}, text with
 * spaces is JSON-quoted.
 */
final class Listing {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private final List<String[]> rows = new ArrayList<>();

  void add(String... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cell(cells[i]);
    }
    rows.add(row);
  }

  void print(PrintWriter out) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line);
    }
    out.flush();
  }

  static ArrayNode newJsonArray() {
    return JSON.createArrayNode();
  }

  static void printJson(PrintWriter out, Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
    out.flush();
  }

  /** UTC, whole seconds, ISO-8601 ({@code 2025-03-01T10:15:30Z}); null stays null. */
  static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String cell(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "-";
    }
    String value = printable(raw);
    if (value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"')) {
      try {
        return COMPACT.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot quote a cell", e);
      }
    }
    return value;
  }

  /**
   * {@code text} with control and invisible formatting characters (e.g. right-to-left overrides)
   * replaced by {@code ?}, so a stored name or URL cannot rewrite what an operator's terminal shows.
   */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        sb.append('?');
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }
}
