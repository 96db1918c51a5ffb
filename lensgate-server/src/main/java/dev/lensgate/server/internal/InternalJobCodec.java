package dev.lensgate.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The wire form of the internal link: a job without credentials one way, the outcome back.
 *
 * <p>Job: {@code {orgId, envId, source, runnerNames[], kind, lens{name, schema?, table, primaryKey,
 * fields[{name, column, type}]}, spec{}, deadlineMillis}}. There is no credentials field at all:
 * the runner-facing node decrypts managed credentials itself. Outcome: {@code {jobId, runnerId,
 * rows[], rowCount, next?}}. A streamed job ({@code POST /internal/dispatch/stream}) is the job plus
 * {@code maxRows}; its answer is NDJSON ({@link InternalStreamCodec}).
 *
 * <p>Both directions are read as a peer's input: exact field sets, exact JSON types, bounded
 * lengths and counts, the lens mapping re-validated. Failures are {@code 400 invalid_request}
 * (a job) or {@code 502 runner_failed} (an outcome); messages name the field, never its value.
 * Decimals keep their scale end to end ({@code 12.50} stays {@code 12.50}), as on the runner socket.
 *
 * <p>Immutable and thread-safe.
 */
final class InternalJobCodec {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  static final int MAX_RUNNER_NAMES = 64;
  static final int MAX_FIELDS = 512;
  static final int MAX_ROWS = 10_000;
  static final int MAX_NEXT_VALUES = 32;
  static final long MAX_DEADLINE_MILLIS = 3_600_000L;
  /** Far above any sync ({@code RunnerReads.READ_MAX_ROWS}); only keeps the number sane. */
  static final long MAX_STREAM_ROWS = 1L << 40;
  private static final String MAX_ROWS_FIELD = "maxRows";

  private static final Set<String> JOB = Set.of("orgId", "envId", "source", "runnerNames", "kind", "lens", "spec",
      "deadlineMillis");
  private static final Set<String> LENS = Set.of("name", "schema", "table", "primaryKey", "fields");
  private static final Set<String> FIELD = Set.of("name", "column", "type");
  private static final Set<String> OUTCOME = Set.of("jobId", "runnerId", "rows", "rowCount", "next");

  private final ObjectMapper mapper;

  InternalJobCodec() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64).maxStringLength(8 << 20).maxNumberLength(64).maxNameLength(256).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  }

  // ---- job -------------------------------------------------------------------------------------

  /** A streamed job as the runner-facing node reads it: the job and the most rows it may return. */
  record StreamJob(JobRequest request, long maxRows) {}

  /** The job's wire form; {@code request.credentials()} is never written. */
  byte[] encodeJob(JobRequest request) {
    return write(job(request));
  }

  /** A streamed job's wire form: the job's fields plus {@code maxRows}. */
  byte[] encodeStreamJob(JobRequest request, long maxRows) {
    ObjectNode o = job(request);
    o.put(MAX_ROWS_FIELD, maxRows);
    return write(o);
  }

  /**
   * Reads a streamed job sent by an API node: a job ({@link #decodeJob}) plus {@code maxRows}.
   *
   * @throws LensgateException {@code INVALID_REQUEST} naming the offending field
   */
  StreamJob decodeStreamJob(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw invalid("the job must be a JSON object");
    }
    long maxRows = longField(tree, MAX_ROWS_FIELD, 1, MAX_STREAM_ROWS);
    ObjectNode job = ((ObjectNode) tree).deepCopy();
    job.remove(MAX_ROWS_FIELD);
    return new StreamJob(decodeJob(job), maxRows);
  }

  private static ObjectNode job(JobRequest request) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("orgId", request.orgId()).put("envId", request.envId()).put("source", request.source());
    ArrayNode names = o.putArray("runnerNames");
    request.runnerNames().forEach(names::add);
    o.put("kind", request.kind().wireName());
    ObjectNode lens = o.putObject("lens");
    LensMapping m = request.lens();
    lens.put("name", m.name());
    m.schema().ifPresent(s -> lens.put("schema", s));
    lens.put("table", m.table()).put("primaryKey", m.primaryKey());
    ArrayNode fields = lens.putArray("fields");
    for (LensMapping.Field f : m.fields()) {
      fields.addObject().put("name", f.name()).put("column", f.column()).put("type", f.type());
    }
    o.set("spec", request.spec());
    o.put("deadlineMillis", request.deadline().toMillis());
    return o;
  }

  /**
   * Reads a job sent by an API node. The result carries no credentials: the caller adds its own.
   *
   * @throws LensgateException {@code INVALID_REQUEST} naming the offending field
   */
  JobRequest decodeJob(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      throw invalid("the job must be a JSON object");
    }
    onlyFields(tree, JOB, "job");
    JsonNode namesNode = required(tree, "runnerNames");
    if (!namesNode.isArray() || namesNode.isEmpty() || namesNode.size() > MAX_RUNNER_NAMES) {
      throw invalid("field 'runnerNames' must be an array of 1.." + MAX_RUNNER_NAMES + " names");
    }
    List<String> names = new ArrayList<>(namesNode.size());
    for (JsonNode n : namesNode) {
      if (!n.isTextual() || !NAME.matcher(n.textValue()).matches()) {
        throw invalid("field 'runnerNames' must hold runner names");
      }
      names.add(n.textValue());
    }
    JobKind kind = JobKind.fromWire(text(tree, "kind", 16))
        .orElseThrow(() -> invalid("field 'kind' is not a known job kind"));
    JsonNode spec = required(tree, "spec");
    if (!spec.isObject()) {
      throw invalid("field 'spec' must be an object");
    }
    long deadline = longField(tree, "deadlineMillis", 1, MAX_DEADLINE_MILLIS);
    return new JobRequest(matching(tree, "orgId", ID), matching(tree, "envId", ID), matching(tree, "source", NAME),
        names, kind, lens(required(tree, "lens")), spec, Optional.<JobCredentials>empty(), Duration.ofMillis(deadline));
  }

  private static LensMapping lens(JsonNode n) {
    if (!n.isObject()) {
      throw invalid("field 'lens' must be an object");
    }
    onlyFields(n, LENS, "lens");
    Optional<String> schema = n.has("schema") ? Optional.of(text(n, "schema", 63)) : Optional.empty();
    JsonNode fieldsNode = required(n, "fields");
    if (!fieldsNode.isArray() || fieldsNode.isEmpty() || fieldsNode.size() > MAX_FIELDS) {
      throw invalid("lens field 'fields' must be an array of 1.." + MAX_FIELDS + " fields");
    }
    List<LensMapping.Field> fields = new ArrayList<>(fieldsNode.size());
    for (JsonNode f : fieldsNode) {
      if (!f.isObject()) {
        throw invalid("lens fields must be objects");
      }
      onlyFields(f, FIELD, "lens field");
      fields.add(new LensMapping.Field(text(f, "name", 63), text(f, "column", 63), text(f, "type", 16)));
    }
    LensMapping mapping = new LensMapping(text(n, "name", 63), schema, text(n, "table", 63),
        text(n, "primaryKey", 63), fields);
    try {
      mapping.toSchema();
    } catch (RuntimeException e) {
      throw invalid("the lens mapping is invalid");
    }
    return mapping;
  }

  // ---- outcome ---------------------------------------------------------------------------------

  byte[] encodeOutcome(JobOutcome outcome) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("jobId", outcome.jobId()).put("runnerId", outcome.runnerId());
    ArrayNode rows = o.putArray("rows");
    outcome.rows().forEach(rows::add);
    o.put("rowCount", outcome.rowCount());
    outcome.next().ifPresent(n -> o.set("next", n));
    return write(o);
  }

  /**
   * Reads the runner-facing node's answer.
   *
   * @throws LensgateException {@code RUNNER_FAILED} when it is not a valid outcome within bounds
   */
  JobOutcome decodeOutcome(byte[] body) {
    JsonNode tree = parse(body, ErrorCode.RUNNER_FAILED);
    try {
      if (tree == null || !tree.isObject()) {
        throw invalid("outcome must be an object");
      }
      onlyFields(tree, OUTCOME, "outcome");
      JsonNode rowsNode = required(tree, "rows");
      if (!rowsNode.isArray() || rowsNode.size() > MAX_ROWS) {
        throw invalid("outcome rows must be an array of at most " + MAX_ROWS);
      }
      List<JsonNode> rows = new ArrayList<>(rowsNode.size());
      for (JsonNode row : rowsNode) {
        checkRow(row);
        rows.add(row);
      }
      Optional<JsonNode> next = Optional.empty();
      JsonNode n = tree.get("next");
      if (n != null && !n.isNull()) {
        if (!n.isArray() || n.size() > MAX_NEXT_VALUES) {
          throw invalid("outcome next must be an array of at most " + MAX_NEXT_VALUES);
        }
        for (JsonNode v : n) {
          if (v.isContainerNode()) {
            throw invalid("outcome next values must be scalars");
          }
        }
        next = Optional.of(n);
      }
      return new JobOutcome(matching(tree, "jobId", ID), matching(tree, "runnerId", ID), rows,
          longField(tree, "rowCount", 0, Long.MAX_VALUE), next);
    } catch (LensgateException e) {
      throw new LensgateException(ErrorCode.RUNNER_FAILED, "the runner-facing node answered an invalid outcome");
    }
  }

  static void checkRow(JsonNode row) {
    if (!row.isObject() || row.size() > MAX_FIELDS) {
      throw invalid("outcome rows must be objects of at most " + MAX_FIELDS + " fields");
    }
    Iterator<JsonNode> values = row.elements();
    while (values.hasNext()) {
      if (values.next().isContainerNode()) {
        throw invalid("outcome row values must be scalars");
      }
    }
  }

  /** Parses an error envelope's code and message, or empty when the body is not one. */
  Optional<String[]> errorEnvelope(byte[] body) {
    JsonNode tree;
    try {
      tree = parse(body, ErrorCode.RUNNER_FAILED);
    } catch (LensgateException e) {
      return Optional.empty();
    }
    JsonNode error = tree == null ? null : tree.get("error");
    if (error == null || !error.path("code").isTextual() || !error.path("message").isTextual()) {
      return Optional.empty();
    }
    return Optional.of(new String[] {error.path("code").textValue(), error.path("message").textValue()});
  }

  // ---- helpers ---------------------------------------------------------------------------------

  JsonNode parse(byte[] body, ErrorCode code) {
    try {
      return mapper.readTree(body);
    } catch (IOException | RuntimeException e) {
      throw new LensgateException(code, "the body is not valid JSON within limits");
    } catch (StackOverflowError e) {
      throw new LensgateException(code, "the body nests too deeply");
    }
  }

  byte[] write(ObjectNode o) {
    try {
      return mapper.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new LensgateException(ErrorCode.INTERNAL, "could not encode an internal message", e);
    }
  }

  static void onlyFields(JsonNode n, Set<String> allowed, String what) {
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      if (!allowed.contains(names.next())) {
        throw invalid(what + " has an unexpected field");
      }
    }
  }

  static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw invalid("field '" + field + "' is required");
    }
    return v;
  }

  static String matching(JsonNode n, String field, Pattern pattern) {
    JsonNode v = required(n, field);
    if (!v.isTextual() || !pattern.matcher(v.textValue()).matches()) {
      throw invalid("field '" + field + "' is not a valid value");
    }
    return v.textValue();
  }

  private static String text(JsonNode n, String field, int maxChars) {
    JsonNode v = required(n, field);
    if (!v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > maxChars) {
      throw invalid("field '" + field + "' must be a string of 1.." + maxChars + " characters");
    }
    String s = v.textValue();
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw invalid("field '" + field + "' has control characters");
      }
    }
    return s;
  }

  static long longField(JsonNode n, String field, long min, long max) {
    JsonNode v = required(n, field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw invalid("field '" + field + "' must be an integer in " + min + ".." + max);
    }
    return v.longValue();
  }

  static LensgateException invalid(String message) {
    return new LensgateException(ErrorCode.INVALID_REQUEST, message);
  }
}
