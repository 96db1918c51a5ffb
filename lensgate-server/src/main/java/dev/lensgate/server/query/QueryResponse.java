package dev.lensgate.server.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer document of {@code POST /v1/query/:lens} (CONTRACT §4):
 * {@code {rows, meta: {lens, count, nextCursor?, durationMs}}}. One writer for the route and for
 * the benchmark that measures it, so the benchmark cannot drift from what the route sends.
 * Stateless and thread-safe.
 */
public final class QueryResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryResponse() {}

  /**
   * @param rows rows already shaped to the lens's declared fields
   * @param nextCursor the signed cursor of the next page, if there is one
   */
  public static String render(String lens, List<Map<String, Object>> rows, Optional<String> nextCursor,
      double durationMs) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode rowsNode = out.putArray("rows");
    for (Map<String, Object> row : rows) {
      rowsNode.add(JSON.valueToTree(row));
    }
    ObjectNode meta = out.putObject("meta");
    meta.put("lens", lens);
    meta.put("count", rows.size());
    nextCursor.ifPresent(c -> meta.put("nextCursor", c));
    meta.put("durationMs", durationMs);
    return out.toString();
  }
}
