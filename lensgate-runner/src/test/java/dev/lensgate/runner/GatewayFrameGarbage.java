package dev.lensgate.runner;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded generator of what a broken or hostile gateway could send a runner. {@link Kind#MALFORMED}
 * frames must be refused by the codec (the runner answers {@code error{code:"invalid_request"}}
 * without a job id): random text, truncation, non-objects, unknown or missing types, each field of
 * a {@code job} (and of its lens mapping and credentials), {@code hello} and {@code cancel} with a
 * wrong JSON type or out of bounds, extra fields, duplicate keys, trailing tokens, comments, NaN,
 * over-long numbers and nesting past the depth limit. {@link Kind#UNEXPECTED} frames are valid
 * frames of the runner's own direction (also answered with an error). {@link Kind#SILENT} frames
 * are {@code cancel}s for jobs the runner does not hold: no answer, no effect.
 */
final class GatewayFrameGarbage {
  enum Kind { MALFORMED, UNEXPECTED, SILENT }

  record Frame(Kind kind, String label, String text) {
    @Override
    public String toString() {
      return label + ": " + (text.length() > 200 ? text.substring(0, 200) + "…(" + text.length() + " chars)" : text);
    }
  }

  /** Wrong values per top-level job field (a field name with a dot is inside the named object). */
  private static final List<String[]> JOB_FIELD_BAD = List.of(
      new String[] {"jobId", "5", "\"\"", "\"has space\"", "\"-lead\"", "[]", "{}", "null", "\"" + "j".repeat(200) + "\""},
      new String[] {"kind", "\"drop\"", "\"QUERY\"", "\"\"", "1", "null", "\"" + "q".repeat(17) + "\""},
      new String[] {"source", "\"\"", "\"a b\"", "\"../x\"", "5", "null", "{}"},
      new String[] {"lens", "\"items\"", "[]", "{}", "null", "{\"name\":\"items\",\"table\":\"items\",\"primaryKey\":\"id\",\"fields\":[]}",
          "{\"name\":\"items\",\"table\":\"items\",\"primaryKey\":\"nope\",\"fields\":[{\"name\":\"id\",\"column\":\"id\",\"type\":\"integer\"}]}",
          "{\"name\":\"items\",\"table\":\"items\",\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"column\":\"id\",\"type\":\"blob\"}]}",
          "{\"name\":\"items\",\"table\":\"items\",\"primaryKey\":\"id\",\"sql\":\"x\",\"fields\":[{\"name\":\"id\",\"column\":\"id\",\"type\":\"integer\"}]}",
          "{\"name\":\"items\",\"table\":\"items\",\"primaryKey\":\"id\",\"fields\":[5]}"},
      new String[] {"spec", "\"SELECT 1\"", "[]", "5", "null", "true"},
      new String[] {"credentials", "\"x\"", "[]", "{}", "{\"url\":\"\",\"user\":\"u\",\"password\":\"p\"}",
          "{\"url\":\"jdbc:h2:mem:x\",\"user\":5,\"password\":\"p\"}", "{\"url\":\"jdbc:h2:mem:x\",\"user\":\"u\"}",
          "{\"url\":\"jdbc:h2:mem:x\",\"user\":\"u\",\"password\":\"p\",\"extra\":1}"},
      new String[] {"deadlineMillis", "0", "-1", "1.5", "\"100\"", "3600001", "99999999999999999999", "null"});

  private final Random random;
  private final String validJob;

  /** @param validJob an encoded, valid job frame whose fields are mutated */
  GatewayFrameGarbage(Random random, String validJob) {
    this.random = random;
    this.validJob = validJob;
  }

  Frame next() {
    int pick = random.nextInt(10);
    if (pick == 0) {
      return new Frame(Kind.SILENT, "cancel unknown", "{\"type\":\"cancel\",\"jobId\":\"nope-" + random.nextInt(1000) + "\"}");
    }
    if (pick == 1) {
      String[] frames = {
          "{\"type\":\"heartbeat\",\"version\":\"v1\",\"sources\":[]}",
          "{\"type\":\"result\",\"jobId\":\"j1\",\"rows\":[],\"done\":true,\"rowCount\":0,\"durationMs\":0}",
          "{\"type\":\"error\",\"jobId\":\"j1\",\"code\":\"x\",\"message\":\"m\"}",
          "{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s2\",\"heartbeatSeconds\":25}"};
      return new Frame(Kind.UNEXPECTED, "unexpected", frames[random.nextInt(frames.length)]);
    }
    List<Function<Random, Frame>> makers = List.of(this::randomText, this::truncated, this::nonObject, this::badType,
        this::badJobField, this::badJobField, this::badJobField, this::badControlFrame, this::extraField,
        this::syntaxTricks, this::tooDeep);
    return makers.get(random.nextInt(makers.size())).apply(random);
  }

  private static Frame malformed(String label, String text) {
    return new Frame(Kind.MALFORMED, label, text);
  }

  private Frame randomText(Random r) {
    String alphabet = "{}[]\":,0123456789abcdefghijklmnopqrstuvwxyz \\/-.eE+\u00e9\u4e2d\u0000\u001f\t\n";
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(300);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    if (sb.charAt(0) == '{') {
      sb.insert(0, ']');
    }
    return malformed("random text", sb.toString());
  }

  private Frame truncated(Random r) {
    return malformed("truncated job", validJob.substring(0, 1 + r.nextInt(validJob.length() - 1)));
  }

  private Frame nonObject(Random r) {
    String[] values = {"[]", "123", "\"job\"", "null", "true", "[" + validJob + "]", "-0.5", " ", "{}"};
    return malformed("not an object", values[r.nextInt(values.length)]);
  }

  private Frame badType(Random r) {
    String[] types = {"\"nope\"", "5", "null", "{}", "[\"job\"]", "\"JOB\"", "\"job \"", "\"\""};
    return malformed("bad type", withField(validJob, "type", types[r.nextInt(types.length)]));
  }

  private Frame badJobField(Random r) {
    String[] f = JOB_FIELD_BAD.get(r.nextInt(JOB_FIELD_BAD.size()));
    String value = f[1 + r.nextInt(f.length - 1)];
    return malformed("job." + f[0] + "=" + value, withField(validJob, f[0], value));
  }

  private Frame badControlFrame(Random r) {
    String[] frames = {
        "{\"type\":\"cancel\",\"jobId\":5}", "{\"type\":\"cancel\"}", "{\"type\":\"cancel\",\"jobId\":\"a b\"}",
        "{\"type\":\"cancel\",\"jobId\":\"j1\",\"extra\":true}",
        "{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":0}",
        "{\"type\":\"hello\",\"runnerId\":\"r\",\"sessionId\":\"s\",\"heartbeatSeconds\":3601}",
        "{\"type\":\"hello\",\"runnerId\":\"\",\"sessionId\":\"s\",\"heartbeatSeconds\":25}",
        "{\"type\":\"refused\",\"code\":\"Key Revoked\"}", "{\"type\":\"refused\",\"code\":5}", "{\"type\":\"refused\"}"};
    return malformed("bad control frame", frames[r.nextInt(frames.length)]);
  }

  private Frame extraField(Random r) {
    String[] extras = {"\"extra\":1", "\"sql\":\"DROP TABLE items\"", "\"Type\":\"x\"", "\"jobid\":\"x\""};
    return malformed("extra field", validJob.substring(0, validJob.length() - 1) + "," + extras[r.nextInt(extras.length)] + "}");
  }

  private Frame syntaxTricks(Random r) {
    String body = validJob.substring(1);
    String[] tricks = {
        "{\"type\":\"job\"," + body,
        validJob + " {}",
        validJob + "x",
        "{/* c */" + body,
        validJob.replace('"', '\''),
        withField(validJob, "deadlineMillis", "NaN"),
        withField(validJob, "deadlineMillis", "1" + "0".repeat(100)),
        validJob.substring(0, validJob.length() - 1) + ",}",
        "\ufeff" + validJob};
    return malformed("syntax trick", tricks[r.nextInt(tricks.length)]);
  }

  private Frame tooDeep(Random r) {
    int depth = 65 + r.nextInt(2000);
    String where = "{\"$and\":[".repeat(depth / 2 + 1) + "{}" + "]}".repeat(depth / 2 + 1);
    String nested = "[".repeat(depth) + "]".repeat(depth);
    return malformed("nesting " + depth, r.nextBoolean()
        ? withField(validJob, "spec", "{\"where\":" + where + "}")
        : withField(validJob, "spec", "{\"x\":" + nested + "}"));
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
}
