package dev.lensgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.client.SearchHit;
import dev.lensgate.client.SearchResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints search and similar results: on a terminal an aligned table (score, id, content cut to
 * one line), when piped one JSON object per result ({@code id, sourceRowId, score, content,
 * metadata}), so scripts read every field.
 */
final class SearchOutput {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CONTENT = 70;

  private SearchOutput() {}

  static void print(PrintWriter out, SearchResult result, boolean ndjson) throws IOException {
    if (ndjson) {
      for (SearchHit h : result.results()) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", h.id());
        o.put("sourceRowId", h.sourceRowId());
        o.put("score", h.score());
        o.put("content", h.content());
        o.set("metadata", JSON.valueToTree(h.metadata().asMap()));
        out.println(JSON.writeValueAsString(o));
      }
      out.flush();
      return;
    }
    int idWidth = "id".length();
    for (SearchHit h : result.results()) {
      idWidth = Math.max(idWidth, h.id().length());
    }
    out.println(pad("score", 6) + "  " + pad("id", idWidth) + "  content");
    for (SearchHit h : result.results()) {
      out.println((pad(String.format(Locale.ROOT, "%.4f", h.score()), 6) + "  " + pad(h.id(), idWidth) + "  "
          + oneLine(h.content())).stripTrailing());
    }
    out.println("(" + result.results().size() + " results, " + result.meta().durationMs() + " ms)");
    out.flush();
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.replace('\n', ' ').replace('\r', ' ');
    return line.length() > MAX_CONTENT ? line.substring(0, MAX_CONTENT - 1) + "…" : line;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
