package dev.lensgate.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.where.SafeText;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code POST /v1/ingest/:lens} body: {@code {mode: full|incremental|records,
 * changes?: [{id, action: upsert|delete}]}}. {@code mode} defaults to {@code incremental};
 * {@code changes} is required with {@code records} and refused otherwise; at most
 * {@value #MAX_CHANGES} changes (checked before any is read), ids unique, each a string of 1..4096
 * characters or an integer. Unknown keys are refused.
 *
 * @param changes record id → whether the action is {@code delete}, in request order
 */
public record IngestRequest(SyncMode mode, Map<String, Boolean> changes) {
  public static final int MAX_CHANGES = 10_000;
  private static final Set<String> KEYS = Set.of("mode", "changes");
  private static final Set<String> CHANGE_KEYS = Set.of("id", "action");

  public IngestRequest {
    changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
  }

  /**
   * @throws LensgateException {@code INVALID_REQUEST} or {@code TOO_MANY_CHANGES}
   */
  public static IngestRequest parse(JsonNode body) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!KEYS.contains(key)) {
        throw invalid("unknown field '" + SafeText.name(key) + "' (expected mode, changes)");
      }
    }
    SyncMode mode = SyncMode.INCREMENTAL;
    JsonNode modeNode = body.get("mode");
    if (modeNode != null && !modeNode.isNull()) {
      if (!modeNode.isTextual()) {
        throw invalid("mode must be one of full, incremental, records");
      }
      mode = SyncMode.fromWire(modeNode.textValue()).filter(m -> m != SyncMode.SMART)
          .orElseThrow(() -> invalid("mode must be one of full, incremental, records"));
    }
    JsonNode changesNode = body.get("changes");
    boolean hasChanges = changesNode != null && !changesNode.isNull();
    if (mode != SyncMode.RECORDS) {
      if (hasChanges) {
        throw invalid("changes are only accepted with mode records");
      }
      return new IngestRequest(mode, Map.of());
    }
    if (!hasChanges || !changesNode.isArray() || changesNode.isEmpty()) {
      throw invalid("mode records needs a non-empty changes array");
    }
    if (changesNode.size() > MAX_CHANGES) {
      throw new LensgateException(ErrorCode.TOO_MANY_CHANGES, "at most " + MAX_CHANGES + " changes per request");
    }
    Map<String, Boolean> changes = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode change : changesNode) {
      String id = changeId(change, index);
      boolean delete = action(change, index);
      if (changes.put(id, delete) != null) {
        throw invalid("changes[" + index + "] repeats an id of an earlier change");
      }
      index++;
    }
    return new IngestRequest(mode, changes);
  }

  private static String changeId(JsonNode change, int index) {
    if (!change.isObject()) {
      throw invalid("changes[" + index + "] must be an object {id, action}");
    }
    Iterator<String> names = change.fieldNames();
    while (names.hasNext()) {
      if (!CHANGE_KEYS.contains(names.next())) {
        throw invalid("changes[" + index + "] has an unknown field (expected id, action)");
      }
    }
    JsonNode id = change.get("id");
    String text;
    if (id != null && id.isTextual()) {
      text = id.textValue();
    } else if (id != null && id.isIntegralNumber() && id.canConvertToLong()) {
      text = Long.toString(id.longValue());
    } else {
      throw invalid("changes[" + index + "].id must be a string or an integer");
    }
    if (text.isEmpty() || text.length() > SyncQueueStore.MAX_RECORD_ID_CHARS || text.indexOf('\0') >= 0) {
      throw invalid("changes[" + index + "].id must be 1.." + SyncQueueStore.MAX_RECORD_ID_CHARS + " characters");
    }
    return text;
  }

  private static boolean action(JsonNode change, int index) {
    JsonNode action = change.get("action");
    if (action != null && "upsert".equals(action.textValue())) {
      return false;
    }
    if (action != null && "delete".equals(action.textValue())) {
      return true;
    }
    throw invalid("changes[" + index + "].action must be upsert or delete");
  }

  private static LensgateException invalid(String message) {
    return new LensgateException(ErrorCode.INVALID_REQUEST, message);
  }
}
