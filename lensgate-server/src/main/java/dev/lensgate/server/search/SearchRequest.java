package dev.lensgate.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.where.Filter;
import java.util.Objects;
import java.util.Set;

/**
 * The body of {@code POST /v1/search/:lens} (CONTRACT §4), validated: {@code query} (a non-blank
 * string of at most {@value #MAX_QUERY_CHARS} characters), {@code limit} (1..100, default 10),
 * {@code minScore} (0..1, default 0), {@code mode} ({@code semantic} by default, {@code keyword},
 * {@code hybrid}), {@code where?} (parsed against the lens like query's). Unknown keys and bad
 * values are {@code 400 invalid_request}; undeclared where fields {@code 400 unknown_field}.
 */
public record SearchRequest(String query, int limit, double minScore, SearchMode mode, Filter where) {
  public static final int MAX_QUERY_CHARS = 4096;
  private static final Set<String> KEYS = Set.of("query", "limit", "minScore", "mode", "where");

  public SearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(where, "where");
  }

  public static SearchRequest parse(JsonNode body, LensSchema schema) {
    RequestFields.onlyKeys(body, KEYS, "search");
    JsonNode q = RequestFields.present(body.get("query"));
    if (q == null || !q.isTextual() || q.textValue().isBlank()) {
      throw RequestFields.invalid("query must be a non-empty string");
    }
    if (q.textValue().length() > MAX_QUERY_CHARS) {
      throw RequestFields.invalid("query is longer than " + MAX_QUERY_CHARS + " characters");
    }
    JsonNode m = RequestFields.present(body.get("mode"));
    SearchMode mode = SearchMode.SEMANTIC;
    if (m != null) {
      if (!m.isTextual()) {
        throw RequestFields.invalid("mode must be semantic, keyword or hybrid");
      }
      mode = SearchMode.fromWire(m.textValue())
          .orElseThrow(() -> RequestFields.invalid("mode must be semantic, keyword or hybrid"));
    }
    int limit = RequestFields.limit(body);
    double minScore = RequestFields.minScore(body);
    Filter where = RequestFields.where(body, schema);
    return new SearchRequest(q.textValue(), limit, minScore, mode, where);
  }
}
