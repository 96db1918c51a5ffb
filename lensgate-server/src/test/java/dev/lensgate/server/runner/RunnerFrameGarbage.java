package dev.lensgate.server.runner;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded generator of what a broken or hostile runner could send the gateway. Every
 * {@link Kind#MALFORMED} frame is something the codec must reject (so the gateway must close the
 * socket): random text, truncated frames, non-objects, unknown or missing types, each field of each
 * runner frame with a wrong JSON type or out of bounds, extra fields, duplicate keys, trailing
 * tokens, comments, NaN, over-long numbers, nesting past the depth limit, and well-formed frames of
 * the gateway's own direction. Every {@link Kind#UNKNOWN_JOB} frame is a valid frame naming a job
 * the sending session does not hold, which the dispatcher must ignore and count.
 */
final class RunnerFrameGarbage {
  enum Kind { MALFORMED, UNKNOWN_JOB }

  record Frame(Kind kind, String label, String text) {
    @Override
    public String toString() {
      return label + ": " + (text.length() > 200 ? text.substring(0, 200) + "…(" + text.length() + " chars)" : text);
    }
  }

  private static final String RESULT_FMT =
      "{\"type\":\"result\",\"jobId\":\"%s\",\"rows\":[{\"id\":1,\"title\":\"a\"}],\"done\":%s,\"rowCount\":1,\"durationMs\":2}";
  private static final String HEARTBEAT = "{\"type\":\"heartbeat\",\"version\":\"v1\",\"sources\":[\"local\"]}";
  private static final String ERROR_FMT = "{\"type\":\"error\",\"jobId\":\"%s\",\"code\":\"%s\",\"message\":\"m\"}";

  /** Wrong values per field; none of them is acceptable for that field. */
  private static final List<String[]> RESULT_FIELD_BAD = List.of(
      new String[] {"jobId", "5", "\"\"", "\"has space\"", "\"-lead\"", "[]", "{}", "true", "\"" + "j".repeat(200) + "\""},
      new String[] {"rows", "{}", "\"x\"", "[1]", "[[1]]", "[{\"a\":{}}]", "[{\"a\":[1]}]", "5", "true"},
      new String[] {"done", "\"true\"", "1", "0", "[]", "{}"},
      new String[] {"rowCount", "-1", "1.5", "\"1\"", "1e30", "99999999999999999999", "true", "[]"},
      new String[] {"durationMs", "-1", "2.5", "\"2\"", "1e300", "{}", "false"},
      new String[] {"next", "[]", "\"x\"", "[1]", "[{}]", "{}", "7"});
  private static final List<String[]> HEARTBEAT_FIELD_BAD = List.of(
      new String[] {"version", "\"\"", "5", "\"" + "v".repeat(65) + "\"", "\"a\\u0001b\"", "[]"},
      new String[] {"sources", "\"local\"", "[1]", "{}", "[[\"a\"]]", "true"});
  private static final List<String[]> ERROR_FIELD_BAD = List.of(
      new String[] {"code", "\"Bad\"", "\"\"", "5", "\"" + "c".repeat(65) + "\"", "\"a b\"", "null"},
      new String[] {"message", "5", "\"" + "m".repeat(1001) + "\"", "[]", "null"},
      new String[] {"jobId", "5", "\"bad id\"", "{}", "false"});

  private final Random random;

  RunnerFrameGarbage(Random random) {
    this.random = random;
  }

  /**
   * @param knownJob a job id some other session holds (a result for it from this session is foreign)
   */
  Frame next(String knownJob) {
    if (random.nextInt(4) == 0) {
      return unknownJob(knownJob);
    }
    List<Function<Random, Frame>> makers = List.of(
        this::randomText, this::truncated, this::nonObject, this::badType, this::badResultField,
        this::badHeartbeatField, this::badErrorField, this::extraField, this::syntaxTricks, this::tooDeep,
        this::gatewayDirection, this::missingField);
    return makers.get(random.nextInt(makers.size())).apply(random);
  }

  private Frame malformed(String label, String text) {
    return new Frame(Kind.MALFORMED, label, text);
  }

  private Frame unknownJob(String knownJob) {
    String id = random.nextBoolean() ? knownJob : "job-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    switch (random.nextInt(3)) {
      case 0:
        return new Frame(Kind.UNKNOWN_JOB, "result for " + id, String.format(RESULT_FMT, id, random.nextBoolean()));
      case 1:
        String code = List.of("source_unreachable", "upstream_timeout", "job_refused", "x").get(random.nextInt(4));
        return new Frame(Kind.UNKNOWN_JOB, "error for " + id, String.format(ERROR_FMT, id, code));
      default:
        return new Frame(Kind.UNKNOWN_JOB, "error without job", "{\"type\":\"error\",\"code\":\"oops\",\"message\":\"m\"}");
    }
  }

  private Frame randomText(Random r) {
    String alphabet = "{}[]\":,0123456789abcdefghijklmnopqrstuvwxyz \\/-.eE+\u00e9\u4e2d\ud83d\ude00\u0000\u001f\t\n";
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(300);
    while (sb.length() < n) {
      int i = r.nextInt(alphabet.length());
      char c = alphabet.charAt(i);
      if (Character.isHighSurrogate(c)) {
        sb.append(c).append(alphabet.charAt(i + 1));
      } else if (!Character.isLowSurrogate(c)) {
        sb.append(c);
      }
    }
    if (sb.charAt(0) == '{' && sb.indexOf("type") >= 0) {
      sb.insert(0, ']');
    }
    return malformed("random text", sb.toString());
  }

  private Frame truncated(Random r) {
    String valid = List.of(String.format(RESULT_FMT, "j1", true), HEARTBEAT, String.format(ERROR_FMT, "j1", "x"))
        .get(r.nextInt(3));
    return malformed("truncated", valid.substring(0, 1 + r.nextInt(valid.length() - 1)));
  }

  private Frame nonObject(Random r) {
    String[] values = {"[]", "123", "\"heartbeat\"", "null", "true", "[" + HEARTBEAT + "]", "-0.5", " ", "{}"};
    return malformed("not an object", values[r.nextInt(values.length)]);
  }

  private Frame badType(Random r) {
    String[] types = {"\"nope\"", "5", "null", "{}", "[\"heartbeat\"]", "\"HEARTBEAT\"", "\"heartbeat \"", "\"\""};
    String rest = r.nextBoolean() ? ",\"version\":\"v1\",\"sources\":[]" : "";
    return malformed("bad type", "{\"type\":" + types[r.nextInt(types.length)] + rest + "}");
  }

  private Frame badResultField(Random r) {
    String[] f = RESULT_FIELD_BAD.get(r.nextInt(RESULT_FIELD_BAD.size()));
    String value = f[1 + r.nextInt(f.length - 1)];
    return malformed("result." + f[0] + "=" + value, withField(String.format(RESULT_FMT, "j1", true), f[0], value));
  }

  private Frame badHeartbeatField(Random r) {
    String[] f = HEARTBEAT_FIELD_BAD.get(r.nextInt(HEARTBEAT_FIELD_BAD.size()));
    String value = f[1 + r.nextInt(f.length - 1)];
    return malformed("heartbeat." + f[0] + "=" + value, withField(HEARTBEAT, f[0], value));
  }

  private Frame badErrorField(Random r) {
    String[] f = ERROR_FIELD_BAD.get(r.nextInt(ERROR_FIELD_BAD.size()));
    String value = f[1 + r.nextInt(f.length - 1)];
    return malformed("error." + f[0] + "=" + value, withField(String.format(ERROR_FMT, "j1", "x"), f[0], value));
  }

  /** {@code json} with top-level {@code field} set to the raw JSON {@code value} (added if absent). */
  static String withField(String json, String field, String value) {
    String key = "\"" + field + "\":";
    int at = json.indexOf(key);
    if (at < 0) {
      return json.substring(0, json.length() - 1) + "," + key + value + "}";
    }
    int start = at + key.length();
    int depth = 0;
    int end = start;
    boolean inString = false;
    for (; end < json.length(); end++) {
      char c = json.charAt(end);
      if (inString) {
        if (c == '\\') {
          end++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    return json.substring(0, start) + value + json.substring(end);
  }

  private Frame missingField(Random r) {
    String[] fields = {"jobId", "rows", "done", "rowCount", "durationMs"};
    String f = fields[r.nextInt(fields.length)];
    String json = String.format(RESULT_FMT, "j1", true);
    String marked = withField(json, f, "\"@@\"");
    return malformed("result without " + f, marked.replace(",\"" + f + "\":\"@@\"", "").replace("\"" + f + "\":\"@@\",", ""));
  }

  private Frame extraField(Random r) {
    String base = List.of(String.format(RESULT_FMT, "j1", true), HEARTBEAT, String.format(ERROR_FMT, "j1", "x"))
        .get(r.nextInt(3));
    String[] extras = {"\"extra\":1", "\"sql\":\"SELECT 1\"", "\"credentials\":{}", "\"Type\":\"x\""};
    return malformed("extra field", base.substring(0, base.length() - 1) + "," + extras[r.nextInt(extras.length)] + "}");
  }

  private Frame syntaxTricks(Random r) {
    String[] tricks = {
        "{\"type\":\"heartbeat\",\"type\":\"heartbeat\",\"version\":\"v1\",\"sources\":[]}",
        HEARTBEAT + " {}",
        HEARTBEAT + "x",
        "{\"type\":\"heartbeat\" /* c */,\"version\":\"v1\",\"sources\":[]}",
        "{'type':'heartbeat','version':'v1','sources':[]}",
        "{\"type\":\"result\",\"jobId\":\"j1\",\"rows\":[],\"done\":true,\"rowCount\":NaN,\"durationMs\":0}",
        "{\"type\":\"result\",\"jobId\":\"j1\",\"rows\":[],\"done\":true,\"rowCount\":1" + "0".repeat(100) + ",\"durationMs\":0}",
        "{type:\"heartbeat\",\"version\":\"v1\",\"sources\":[]}",
        "{\"type\":\"heartbeat\",\"version\":\"v1\",\"sources\":[],}",
        "\ufeff" + HEARTBEAT};
    return malformed("syntax trick", tricks[r.nextInt(tricks.length)]);
  }

  private Frame tooDeep(Random r) {
    int depth = 65 + r.nextInt(2000);
    String nest = "[".repeat(depth) + "]".repeat(depth);
    return malformed("nesting " + depth, "{\"type\":\"result\",\"jobId\":\"j1\",\"rows\":" + nest
        + ",\"done\":true,\"rowCount\":0,\"durationMs\":0}");
  }

  private Frame gatewayDirection(Random r) {
    String[] frames = {
        "{\"type\":\"hello\",\"runnerId\":\"r1\",\"sessionId\":\"s1\",\"heartbeatSeconds\":25}",
        "{\"type\":\"cancel\",\"jobId\":\"j1\"}",
        "{\"type\":\"refused\",\"code\":\"key_revoked\"}",
        "{\"type\":\"job\",\"jobId\":\"j1\",\"kind\":\"query\",\"source\":\"local\",\"lens\":{\"name\":\"items\","
            + "\"table\":\"items\",\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"column\":\"id\",\"type\":\"integer\"}]},"
            + "\"spec\":{},\"deadlineMillis\":1000}"};
    return malformed("gateway-direction frame", frames[r.nextInt(frames.length)]);
  }
}
