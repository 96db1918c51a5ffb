package dev.lensgate.core.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.lens.FieldType;
import dev.lensgate.core.lens.LensField;
import dev.lensgate.core.lens.LensSchema;
import dev.lensgate.core.plan.KeysetPosition;
import dev.lensgate.core.plan.ReadPage;
import dev.lensgate.core.plan.ReadSpec;
import dev.lensgate.core.where.FieldValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ReadPage} ⇄ {@link RunnerFrame.Result}: the runner turns the page its executor fetched
 * into a result frame; the gateway turns the frames back into a page (typed by its own lens
 * mapping, restricted to the spec's selected fields) and signs the cursor itself. The runner never
 * holds the cursor key; {@code next} travels as raw keyset text values.
 */
public final class JobPages {
  private JobPages() {}

  /** A single, final result frame for a page. */
  public static RunnerFrame.Result toResult(String jobId, ReadPage page, long durationMs) {
    List<JsonNode> rows = rows(page);
    Optional<JsonNode> next = page.next().map(JobPages::positionJson);
    return new RunnerFrame.Result(jobId, rows, true, rows.size(), durationMs, next);
  }

  /**
   * A page as result frames that each fit {@code chunks}' bounds: every frame but the last has
   * {@code done = false}; the last carries {@code done = true} and the page's {@code next}.
   * {@code rowCount} is cumulative, as the protocol says.
   *
   * @throws IllegalArgumentException if one row alone exceeds the frame budget
   */
  public static List<RunnerFrame.Result> toResults(String jobId, ReadPage page, long durationMs, ResultChunks chunks) {
    List<List<JsonNode>> parts = chunks.split(rows(page));
    Optional<JsonNode> next = page.next().map(JobPages::positionJson);
    List<RunnerFrame.Result> out = new ArrayList<>(parts.size());
    long sent = 0;
    for (int i = 0; i < parts.size(); i++) {
      boolean last = i == parts.size() - 1;
      sent += parts.get(i).size();
      out.add(new RunnerFrame.Result(jobId, parts.get(i), last, sent, durationMs, last ? next : Optional.empty()));
    }
    return out;
  }

  /** A page's rows as JSON objects keyed by field name. */
  public static List<JsonNode> rows(ReadPage page) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> rows = new ArrayList<>(page.rows().size());
    for (Map<String, Object> row : page.rows()) {
      ObjectNode o = f.objectNode();
      for (Map.Entry<String, Object> e : row.entrySet()) {
        o.set(e.getKey(), FieldValues.toJson(e.getValue()));
      }
      rows.add(o);
    }
    return rows;
  }

  /** A keyset position as a JSON array of text values (null stays null). */
  public static ArrayNode positionJson(KeysetPosition position) {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode(position.values().size());
    for (Object v : position.values()) {
      if (v == null) {
        arr.addNull();
      } else {
        arr.add(FieldValues.toText(v));
      }
    }
    return arr;
  }

  /**
   * Rebuilds a page from a runner's rows and next position, against the gateway's own spec and
   * lens mapping: every row may hold only selected fields, every value must fit its field's type,
   * the position must have one value per sort key.
   *
   * @throws IllegalArgumentException if the runner's answer does not fit (the caller reports
   *     {@code runner_failed}; the message names no value)
   */
  public static ReadPage toPage(List<JsonNode> rows, Optional<JsonNode> next, ReadSpec spec, LensSchema lens) {
    if (rows.size() > spec.limit()) {
      throw new IllegalArgumentException("runner returned more rows than the limit");
    }
    Set<String> selected = Set.copyOf(spec.select());
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (JsonNode row : rows) {
      if (!row.isObject()) {
        throw new IllegalArgumentException("runner row is not an object");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = row.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!selected.contains(e.getKey())) {
          throw new IllegalArgumentException("runner row has a field that was not selected");
        }
        LensField field = lens.field(e.getKey()).orElseThrow(
            () -> new IllegalArgumentException("runner row has an undeclared field"));
        m.put(field.name(), value(e.getValue(), field.type()));
      }
      out.add(Collections.unmodifiableMap(m));
    }
    Optional<KeysetPosition> position = Optional.empty();
    if (next.isPresent()) {
      position = Optional.of(position(next.get(), spec, lens));
    }
    return new ReadPage(out, position);
  }

  private static KeysetPosition position(JsonNode arr, ReadSpec spec, LensSchema lens) {
    if (!arr.isArray() || arr.size() != spec.orderBy().size()) {
      throw new IllegalArgumentException("runner keyset position does not match orderBy");
    }
    List<Object> values = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode v = arr.get(i);
      if (v.isNull()) {
        values.add(null);
      } else if (v.isTextual()) {
        LensField f = lens.field(spec.orderBy().get(i).field()).orElseThrow();
        values.add(FieldValues.fromText(v.textValue(), f.type()));
      } else {
        throw new IllegalArgumentException("runner keyset value is not text");
      }
    }
    return new KeysetPosition(values);
  }

  /** A JSON value as the normalized Java value of {@code type} (what the JDBC executor yields). */
  static Object value(JsonNode v, FieldType type) {
    if (v == null || v.isNull()) {
      return null;
    }
    switch (type) {
      case STRING:
        if (!v.isTextual()) {
          throw new IllegalArgumentException("runner value is not a string");
        }
        return v.textValue();
      case INTEGER:
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
          throw new IllegalArgumentException("runner value is not an integer");
        }
        return v.longValue();
      case NUMBER:
        if (!v.isNumber()) {
          throw new IllegalArgumentException("runner value is not a number");
        }
        return v.decimalValue();
      case BOOLEAN:
        if (!v.isBoolean()) {
          throw new IllegalArgumentException("runner value is not a boolean");
        }
        return v.booleanValue();
      case TIMESTAMP:
      case DATE:
        if (!v.isTextual()) {
          throw new IllegalArgumentException("runner value is not a date/time text");
        }
        return FieldValues.fromText(v.textValue(), type);
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }
}
