package dev.lensgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.client.SearchHit;
import dev.lensgate.client.SearchMeta;
import dev.lensgate.client.SearchResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints search and similar results: on a terminal an aligned table (score, id, content cut to
 * one line), when piped one JSON object per result ({@code id, sourceRowId, score, content,
 * metadata}), so scripts read every field. An index that could not answer ({@code meta.indexState})
 * gets a one-line warning on stderr, so an empty result is not mistaken for "nothing matched"
 * and stdout stays clean for scripts.
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

  /** One warning line on {@code err} when the answer carries {@code meta.indexState}; else nothing. */
  static void warnIndexState(PrintWriter err, SearchMeta meta) {
    meta.indexState().ifPresent(state -> {
      err.println("warning: " + indexStateText(meta.lens(), state));
      err.flush();
    });
  }

  static String indexStateText(String lens, String state) {
    switch (state) {
      case "not_built":
        return "the index of lens '" + lens + "' is not built yet (no sync has run); results are empty";
      case "stale":
        return "the index of lens '" + lens + "' is stale (the lens's fields changed; the next sync rebuilds it);"
            + " results are empty";
      default:
        return "the index of lens '" + lens + "' is in state '" + oneLine(state) + "'; results may be incomplete";
    }
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
