package dev.lensgate.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.runner.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The NDJSON answer of {@code POST /internal/dispatch/stream}: one line per chunk of rows
 * {@code {"rows":[...]}}, then exactly one last line, either {@code {"done":{jobId, runnerId,
 * rowCount}}} or {@code {"error":{code, message}}}. Every line ends with {@code \n}.
 *
 * <p>Lines are read as a peer's input, with {@link InternalJobCodec}'s rules: one known field per
 * line, rows as in an outcome (objects of scalars, at most {@value InternalJobCodec#MAX_ROWS} per
 * line), ids by pattern. Anything else is {@code 502 runner_failed}; messages never quote values.
 *
 * <p>Immutable and thread-safe.
 */
final class InternalStreamCodec {
  static final String CONTENT_TYPE = "application/x-ndjson";

  /** One decoded line of the answer. */
  sealed interface Line permits Rows, Done, Failed {}

  /** A chunk of rows, in order. */
  record Rows(List<JsonNode> rows) implements Line {
    Rows {
      rows = List.copyOf(rows);
    }
  }

  /** The stream ended well after {@code rowCount} rows. */
  record Done(String jobId, String runnerId, long rowCount) implements Line {}

  /** The stream ended with the runner-facing node's error code and message (not yet trusted). */
  record Failed(String code, String message) implements Line {}

  private static final Set<String> DONE = Set.of("jobId", "runnerId", "rowCount");
  private static final Set<String> ERROR = Set.of("code", "message");
  private static final int MAX_CODE_CHARS = 64;
  private static final int MAX_MESSAGE_CHARS = 1000;

  private final InternalJobCodec json;

  InternalStreamCodec(InternalJobCodec json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  byte[] encodeRows(List<JsonNode> rows) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode array = o.putArray("rows");
    rows.forEach(array::add);
    return line(o);
  }

  byte[] encodeDone(JobOutcome outcome) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("done").put("jobId", outcome.jobId()).put("runnerId", outcome.runnerId())
        .put("rowCount", outcome.rowCount());
    return line(o);
  }

  byte[] encodeError(ErrorCode code, String message) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.putObject("error").put("code", code.code()).put("message", message == null ? "" : message);
    return line(o);
  }

  /**
   * Reads one line (without its {@code \n}).
   *
   * @throws LensgateException {@code RUNNER_FAILED} when it is not a valid line within bounds
   */
  Line decode(byte[] line) {
    JsonNode tree = json.parse(line, ErrorCode.RUNNER_FAILED);
    try {
      if (tree == null || !tree.isObject() || tree.size() != 1) {
        throw InternalJobCodec.invalid("a stream line must be an object with one field");
      }
      JsonNode rows = tree.get("rows");
      if (rows != null) {
        return rows(rows);
      }
      JsonNode done = tree.get("done");
      if (done != null) {
        return done(done);
      }
      JsonNode error = tree.get("error");
      if (error != null) {
        return failed(error);
      }
      throw InternalJobCodec.invalid("a stream line has an unknown field");
    } catch (LensgateException e) {
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node streamed an invalid line");
    }
  }

  private static Rows rows(JsonNode n) {
    if (!n.isArray() || n.size() > InternalJobCodec.MAX_ROWS) {
      throw InternalJobCodec.invalid("stream rows must be an array of at most " + InternalJobCodec.MAX_ROWS);
    }
    List<JsonNode> rows = new ArrayList<>(n.size());
    for (JsonNode row : n) {
      InternalJobCodec.checkRow(row);
      rows.add(row);
    }
    return new Rows(rows);
  }

  private static Done done(JsonNode n) {
    if (!n.isObject()) {
      throw InternalJobCodec.invalid("stream done must be an object");
    }
    InternalJobCodec.onlyFields(n, DONE, "stream done");
    return new Done(InternalJobCodec.matching(n, "jobId", InternalJobCodec.ID),
        InternalJobCodec.matching(n, "runnerId", InternalJobCodec.ID),
        InternalJobCodec.longField(n, "rowCount", 0, Long.MAX_VALUE));
  }

  private static Failed failed(JsonNode n) {
    if (!n.isObject()) {
      throw InternalJobCodec.invalid("stream error must be an object");
    }
    InternalJobCodec.onlyFields(n, ERROR, "stream error");
    JsonNode code = InternalJobCodec.required(n, "code");
    JsonNode message = n.path("message");
    if (!code.isTextual() || code.textValue().length() > MAX_CODE_CHARS
        || !message.isTextual() || message.textValue().length() > MAX_MESSAGE_CHARS) {
      throw InternalJobCodec.invalid("stream error must carry a short code and message");
    }
    return new Failed(code.textValue(), message.textValue());
  }

  private byte[] line(ObjectNode o) {
    byte[] body = json.write(o);
    byte[] line = java.util.Arrays.copyOf(body, body.length + 1);
    line[body.length] = '\n';
    return line;
  }
}
