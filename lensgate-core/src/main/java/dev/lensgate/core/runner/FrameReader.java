package dev.lensgate.core.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lensgate.core.crypto.SecretBytes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a parsed JSON tree into a {@link RunnerFrame}: exact field sets per type, exact JSON
 * types, bounded values. Every failure is a {@link MalformedFrameException} naming the field.
 */
final class FrameReader {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
  static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  static final int MAX_MESSAGE_CHARS = 1000;
  static final int MAX_VERSION_CHARS = 64;
  static final int MAX_SOURCES = 1024;
  static final int MAX_FIELDS = 512;
  static final int MAX_NEXT_VALUES = 32;
  static final int MAX_HEARTBEAT_SECONDS = 3600;
  static final long MAX_DEADLINE_MILLIS = 3_600_000L;
  static final int MAX_URL_CHARS = 4096;
  static final int MAX_USER_CHARS = 256;
  static final int MAX_PASSWORD_CHARS = 4096;

  private static final Set<String> HELLO = Set.of("type", "runnerId", "sessionId", "heartbeatSeconds");
  private static final Set<String> JOB = Set.of("type", "jobId", "kind", "source", "lens", "spec", "credentials", "deadlineMillis");
  private static final Set<String> CANCEL = Set.of("type", "jobId");
  private static final Set<String> REFUSED = Set.of("type", "code");
  private static final Set<String> HEARTBEAT = Set.of("type", "version", "sources");
  private static final Set<String> RESULT = Set.of("type", "jobId", "rows", "done", "rowCount", "durationMs", "next");
  private static final Set<String> ERROR = Set.of("type", "jobId", "code", "message");
  private static final Set<String> LENS = Set.of("name", "schema", "table", "primaryKey", "fields");
  private static final Set<String> FIELD = Set.of("name", "column", "type");
  private static final Set<String> CREDENTIALS = Set.of("url", "user", "password");

  private final int maxRows;

  FrameReader(int maxRows) {
    this.maxRows = maxRows;
  }

  RunnerFrame read(JsonNode tree) throws MalformedFrameException {
    if (tree == null || !tree.isObject()) {
      throw new MalformedFrameException("frame must be a JSON object");
    }
    JsonNode type = tree.get("type");
    if (type == null || !type.isTextual()) {
      throw new MalformedFrameException("frame needs a string 'type'");
    }
    switch (type.textValue()) {
      case "hello":
        onlyFields(tree, HELLO, "hello");
        return new RunnerFrame.Hello(id(tree, "runnerId"), id(tree, "sessionId"),
            (int) longField(tree, "heartbeatSeconds", 1, MAX_HEARTBEAT_SECONDS));
      case "job":
        onlyFields(tree, JOB, "job");
        return job(tree);
      case "cancel":
        onlyFields(tree, CANCEL, "cancel");
        return new RunnerFrame.Cancel(id(tree, "jobId"));
      case "refused":
        onlyFields(tree, REFUSED, "refused");
        return new RunnerFrame.Refused(code(tree));
      case "heartbeat":
        onlyFields(tree, HEARTBEAT, "heartbeat");
        return heartbeat(tree);
      case "result":
        onlyFields(tree, RESULT, "result");
        return result(tree);
      case "error":
        onlyFields(tree, ERROR, "error");
        return error(tree);
      default:
        throw new MalformedFrameException("unknown frame type");
    }
  }

  private static RunnerFrame.Job job(JsonNode tree) throws MalformedFrameException {
    String kindText = text(tree, "kind", 16);
    JobKind kind = JobKind.fromWire(kindText)
        .orElseThrow(() -> new MalformedFrameException("job field 'kind' is not a known kind"));
    String source = matching(tree, "source", SOURCE);
    LensMapping lens = lens(required(tree, "lens"));
    JsonNode spec = required(tree, "spec");
    if (!spec.isObject()) {
      throw new MalformedFrameException("field 'spec' must be an object");
    }
    Optional<JobCredentials> credentials = Optional.empty();
    JsonNode c = tree.get("credentials");
    if (c != null) {
      credentials = Optional.of(credentials(c));
    }
    long deadline = longField(tree, "deadlineMillis", 1, MAX_DEADLINE_MILLIS);
    return new RunnerFrame.Job(id(tree, "jobId"), kind, source, lens, spec, credentials, deadline);
  }

  private static LensMapping lens(JsonNode n) throws MalformedFrameException {
    if (!n.isObject()) {
      throw new MalformedFrameException("field 'lens' must be an object");
    }
    onlyFields(n, LENS, "lens");
    Optional<String> schema = Optional.empty();
    if (n.has("schema")) {
      schema = Optional.of(text(n, "schema", 63));
    }
    JsonNode fieldsNode = required(n, "fields");
    if (!fieldsNode.isArray() || fieldsNode.isEmpty() || fieldsNode.size() > MAX_FIELDS) {
      throw new MalformedFrameException("lens field 'fields' must be an array of 1.." + MAX_FIELDS + " fields");
    }
    List<LensMapping.Field> fields = new ArrayList<>(fieldsNode.size());
    for (JsonNode f : fieldsNode) {
      if (!f.isObject()) {
        throw new MalformedFrameException("lens fields must be objects");
      }
      onlyFields(f, FIELD, "lens field");
      fields.add(new LensMapping.Field(text(f, "name", 63), text(f, "column", 63), text(f, "type", 16)));
    }
    LensMapping mapping = new LensMapping(text(n, "name", 63), schema, text(n, "table", 63),
        text(n, "primaryKey", 63), fields);
    try {
      mapping.toSchema();
    } catch (IllegalArgumentException e) {
      throw new MalformedFrameException("lens mapping is invalid");
    }
    return mapping;
  }

  private static JobCredentials credentials(JsonNode n) throws MalformedFrameException {
    if (!n.isObject()) {
      throw new MalformedFrameException("field 'credentials' must be an object");
    }
    onlyFields(n, CREDENTIALS, "credentials");
    String url = text(n, "url", MAX_URL_CHARS);
    String user = rawText(n, "user", MAX_USER_CHARS);
    String password = rawText(n, "password", MAX_PASSWORD_CHARS);
    return new JobCredentials(url, user, SecretBytes.fromUtf8(password));
  }

  private static RunnerFrame.Heartbeat heartbeat(JsonNode tree) throws MalformedFrameException {
    String version = text(tree, "version", MAX_VERSION_CHARS);
    JsonNode arr = required(tree, "sources");
    if (!arr.isArray() || arr.size() > MAX_SOURCES) {
      throw new MalformedFrameException("heartbeat field 'sources' must be an array of at most " + MAX_SOURCES);
    }
    List<String> sources = new ArrayList<>(arr.size());
    for (JsonNode s : arr) {
      if (!s.isTextual() || !(SOURCE.matcher(s.textValue()).matches()
          || RunnerFrame.Heartbeat.ANY_SOURCE.equals(s.textValue()))) {
        throw new MalformedFrameException("heartbeat sources must be source names or '*'");
      }
      sources.add(s.textValue());
    }
    return new RunnerFrame.Heartbeat(version, sources);
  }

  private RunnerFrame.Result result(JsonNode tree) throws MalformedFrameException {
    String jobId = id(tree, "jobId");
    JsonNode rowsNode = required(tree, "rows");
    if (!rowsNode.isArray() || rowsNode.size() > maxRows) {
      throw new MalformedFrameException("result field 'rows' must be an array of at most " + maxRows + " rows");
    }
    List<JsonNode> rows = new ArrayList<>(rowsNode.size());
    for (JsonNode row : rowsNode) {
      if (!row.isObject() || row.size() > MAX_FIELDS) {
        throw new MalformedFrameException("result rows must be objects of at most " + MAX_FIELDS + " fields");
      }
      Iterator<JsonNode> values = row.elements();
      while (values.hasNext()) {
        JsonNode v = values.next();
        if (v.isContainerNode() || v.isMissingNode() || v.isBinary() || v.isPojo()) {
          throw new MalformedFrameException("result row values must be scalars");
        }
      }
      rows.add(row);
    }
    JsonNode done = required(tree, "done");
    if (!done.isBoolean()) {
      throw new MalformedFrameException("result field 'done' must be a boolean");
    }
    long rowCount = longField(tree, "rowCount", 0, Long.MAX_VALUE);
    long durationMs = longField(tree, "durationMs", 0, Long.MAX_VALUE);
    Optional<JsonNode> next = Optional.empty();
    JsonNode n = tree.get("next");
    if (n != null && !n.isNull()) {
      if (!n.isArray() || n.isEmpty() || n.size() > MAX_NEXT_VALUES) {
        throw new MalformedFrameException("result field 'next' must be an array of 1.." + MAX_NEXT_VALUES + " values");
      }
      for (JsonNode v : n) {
        if (!v.isTextual() && !v.isNull()) {
          throw new MalformedFrameException("result field 'next' holds strings or null");
        }
      }
      next = Optional.of(n);
    }
    return new RunnerFrame.Result(jobId, rows, done.booleanValue(), rowCount, durationMs, next);
  }

  private static RunnerFrame.Error error(JsonNode tree) throws MalformedFrameException {
    Optional<String> jobId = Optional.empty();
    JsonNode j = tree.get("jobId");
    if (j != null && !j.isNull()) {
      jobId = Optional.of(id(tree, "jobId"));
    }
    return new RunnerFrame.Error(jobId, code(tree), rawText(tree, "message", MAX_MESSAGE_CHARS));
  }

  private static void onlyFields(JsonNode n, Set<String> allowed, String what) throws MalformedFrameException {
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      if (!allowed.contains(names.next())) {
        throw new MalformedFrameException(what + " frame has an unknown field");
      }
    }
  }

  private static JsonNode required(JsonNode n, String field) throws MalformedFrameException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new MalformedFrameException("field '" + field + "' is missing");
    }
    return v;
  }

  private static String id(JsonNode n, String field) throws MalformedFrameException {
    return matching(n, field, ID);
  }

  private static String code(JsonNode n) throws MalformedFrameException {
    return matching(n, "code", CODE);
  }

  private static String matching(JsonNode n, String field, Pattern pattern) throws MalformedFrameException {
    JsonNode v = required(n, field);
    if (!v.isTextual() || !pattern.matcher(v.textValue()).matches()) {
      throw new MalformedFrameException("field '" + field + "' is not a valid value");
    }
    return v.textValue();
  }

  /** Non-empty text of at most {@code maxChars} without control characters. */
  private static String text(JsonNode n, String field, int maxChars) throws MalformedFrameException {
    String s = rawText(n, field, maxChars);
    if (s.isEmpty()) {
      throw new MalformedFrameException("field '" + field + "' is empty");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new MalformedFrameException("field '" + field + "' has control characters");
      }
    }
    return s;
  }

  /** Any string of at most {@code maxChars} (passwords and messages may hold anything). */
  private static String rawText(JsonNode n, String field, int maxChars) throws MalformedFrameException {
    JsonNode v = required(n, field);
    if (!v.isTextual() || v.textValue().length() > maxChars) {
      throw new MalformedFrameException("field '" + field + "' must be a string of at most " + maxChars + " characters");
    }
    return v.textValue();
  }

  private static long longField(JsonNode n, String field, long min, long max) throws MalformedFrameException {
    JsonNode v = required(n, field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw new MalformedFrameException("field '" + field + "' must be an integer in " + min + ".." + max);
    }
    return v.longValue();
  }
}
