package dev.lensgate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads successful answers into result types, checking the documented shape as it goes. A
 * missing or mistyped part throws {@link Malformed}, which the client reports as a transport
 * failure: the call may have happened, but its answer is unusable.
 */
final class ResponseDecoder {

  /** The answer is not the documented JSON shape; the message says which part. */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final ObjectMapper rowMapper;

  ResponseDecoder(ObjectMapper rowMapper) {
    this.rowMapper = rowMapper;
  }

  QueryResult query(JsonNode root, String requestId) {
    List<Row> rows = new ArrayList<>();
    for (JsonNode row : rows(root)) {
      rows.add(new Row(JsonTree.toMap(row)));
    }
    return new QueryResult(rows, queryMeta(root), requestId);
  }

  <T> TypedQueryResult<T> typed(JsonNode root, Class<T> type, String requestId) {
    List<T> out = new ArrayList<>();
    int index = 0;
    for (JsonNode row : rows(root)) {
      out.add(map(row, type, index++));
    }
    return new TypedQueryResult<>(out, queryMeta(root), requestId);
  }

  private <T> T map(JsonNode row, Class<T> type, int index) {
    try {
      T value = rowMapper.treeToValue(row, type);
      if (value == null) {
        throw new RowMappingException("row " + index + " mapped to null " + type.getName(), null);
      }
      return value;
    } catch (JsonMappingException e) {
      String at = e.getPath().isEmpty() ? "" : " at " + e.getPathReference();
      throw new RowMappingException(
          "row " + index + " does not map to " + type.getName() + at, e);
    } catch (JsonProcessingException e) {
      throw new RowMappingException("row " + index + " does not map to " + type.getName(), e);
    }
  }

  SearchResult search(JsonNode root, String requestId) {
    JsonNode results = array(root, "results");
    List<SearchHit> hits = new ArrayList<>(results.size());
    for (JsonNode hit : results) {
      requireObject(hit, "results[]");
      JsonNode metadata = hit.get("metadata");
      hits.add(new SearchHit(
          idText(hit.get("id"), "results[].id"),
          optionalIdText(hit.get("sourceRowId")),
          optionalText(hit, "content"),
          new Row(metadata == null || metadata.isNull()
              ? java.util.Map.of()
              : JsonTree.toMap(requireObject(metadata, "results[].metadata"))),
          number(hit, "score").doubleValue()));
    }
    JsonNode meta = requireObject(root.get("meta"), "meta");
    SearchMeta m = new SearchMeta(
        requiredText(meta, "lens"), optionalText(meta, "query"), optionalText(meta, "mode"),
        number(meta, "count").intValue(), optionalLong(meta, "durationMs"),
        java.util.Optional.ofNullable(optionalText(meta, "indexState")));
    return new SearchResult(hits, m, requestId);
  }

  IngestResult ingest(JsonNode root, String requestId) {
    requireObject(root, "answer");
    String status = requiredText(root, "status");
    IngestResult.Status parsed;
    try {
      parsed = IngestResult.Status.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Malformed("unknown ingest status");
    }
    JsonNode buffered = root.get("changesBuffered");
    Long changes = buffered == null || buffered.isNull() ? null : number(root, "changesBuffered").longValue();
    return new IngestResult(requiredText(root, "jobId"), parsed, changes, requestId);
  }

  Health health(JsonNode root) {
    requireObject(root, "answer");
    return new Health(requiredText(root, "status"), optionalText(root, "version"));
  }

  private static JsonNode rows(JsonNode root) {
    JsonNode rows = array(root, "rows");
    for (JsonNode row : rows) {
      requireObject(row, "rows[]");
    }
    return rows;
  }

  private static QueryMeta queryMeta(JsonNode root) {
    JsonNode meta = requireObject(root.get("meta"), "meta");
    JsonNode next = meta.get("nextCursor");
    String cursor = null;
    if (next != null && !next.isNull()) {
      if (!next.isTextual() || next.textValue().isEmpty()) {
        throw new Malformed("meta.nextCursor is not a non-empty string");
      }
      cursor = next.textValue();
    }
    return new QueryMeta(requiredText(meta, "lens"), number(meta, "count").intValue(), cursor,
        optionalLong(meta, "durationMs"));
  }

  private static JsonNode requireObject(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw new Malformed(name + " is not an object");
    }
    return node;
  }

  private static JsonNode array(JsonNode root, String name) {
    requireObject(root, "answer");
    JsonNode node = root.get(name);
    if (node == null || !node.isArray()) {
      throw new Malformed(name + " is not an array");
    }
    return node;
  }

  private static String requiredText(JsonNode object, String name) {
    JsonNode v = object.get(name);
    if (v == null || !v.isTextual()) {
      throw new Malformed(name + " is not a string");
    }
    return v.textValue();
  }

  private static String optionalText(JsonNode object, String name) {
    JsonNode v = object.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Malformed(name + " is not a string");
    }
    return v.textValue();
  }

  private static Number number(JsonNode object, String name) {
    JsonNode v = object.get(name);
    if (v == null || !v.isNumber()) {
      throw new Malformed(name + " is not a number");
    }
    return v.numberValue();
  }

  private static long optionalLong(JsonNode object, String name) {
    JsonNode v = object.get(name);
    return v == null || v.isNull() ? 0L : number(object, name).longValue();
  }

  /** Ids may be strings or integers on the wire; both are exposed as text. */
  private static String idText(JsonNode v, String name) {
    if (v != null && (v.isTextual() || v.isIntegralNumber())) {
      return v.asText();
    }
    throw new Malformed(name + " is not a string or integer");
  }

  private static String optionalIdText(JsonNode v) {
    return v == null || v.isNull() ? null : idText(v, "results[].sourceRowId");
  }
}
