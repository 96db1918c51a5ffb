package dev.lensgate.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.shape.RowShaper;
import java.util.List;
import java.util.Map;

/**
 * The answer of search and similar (CONTRACT §4):
 * {@code {results:[{id, sourceRowId, content, metadata, score}], meta:{lens, query, mode, count,
 * durationMs, indexState?}}}. {@code id} is {@code <lens>:<pk>}, {@code sourceRowId} the primary
 * key value (a number for INTEGER keys, else text), {@code content} the searchable fields' shaped
 * values (each once, newline-joined), {@code metadata} every declared field shaped by
 * {@link RowShaper} exactly like query. {@code meta.indexState} is present only as
 * {@code "not_built"}, when the lens has no index yet (no sync has run), or {@code "stale"}, when
 * the index was written for another shape of the lens (field types changed; the next sync
 * rebuilds it): results are then empty.
 * For similar, {@code meta.query} is the seed id as text and {@code meta.mode} is {@code similar}.
 */
public final class SearchResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SearchResponse() {}

  public static String render(LensConfig lens, JsonNode query, String mode, SearchResult result, double durationMs) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode results = out.putArray("results");
    for (SearchHit hit : result.hits()) {
      Map<String, Object> shaped = RowShaper.shape(lens, List.of(hit.document().row())).get(0);
      ObjectNode r = results.addObject();
      String pk = hit.document().id();
      r.put("id", lens.name() + ":" + pk);
      Object raw = hit.document().row().get(lens.schema().primaryKey());
      if (raw instanceof Long) {
        r.put("sourceRowId", (Long) raw);
      } else {
        r.put("sourceRowId", pk);
      }
      r.put("content", SearchText.content(lens, shaped, lens.searchableFields(), false));
      r.set("metadata", JSON.valueToTree(shaped));
      r.put("score", hit.score());
    }
    ObjectNode meta = out.putObject("meta");
    meta.put("lens", lens.name());
    meta.set("query", query);
    meta.put("mode", mode);
    meta.put("count", result.hits().size());
    meta.put("durationMs", durationMs);
    if (result.index() == SearchResult.IndexView.NOT_BUILT) {
      meta.put("indexState", "not_built");
    } else if (result.index() == SearchResult.IndexView.STALE) {
      meta.put("indexState", "stale");
    }
    return out.toString();
  }
}
