package dev.lensgate.core.runner;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * JSON text ⇄ {@link RunnerFrame}, strict and bounded, for both ends of the runner socket.
 *
 * <p>Decoding treats the peer as hostile: the size is checked before parsing; the parser caps
 * nesting depth, string and number lengths and rejects duplicate keys and trailing tokens; then
 * every frame type has an exact set of fields with exact JSON types and bounds (ids, codes, row
 * counts, list lengths). Anything else is a {@link MalformedFrameException} — never another
 * exception, never a partially read frame. Messages name the offending field, never its value.
 *
 * <p>Encoding checks only the encoded size ({@code maxFrameBytes}); a sender splits large
 * results into several {@link RunnerFrame.Result} chunks of at most {@code maxRows} rows.
 *
 * <p>Thread safety: immutable and safe to share.
 */
public final class RunnerFrameCodec {
  public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_MAX_ROWS = 1000;

  private final int maxFrameBytes;
  private final int maxRows;
  private final ObjectMapper mapper;
  private final FrameReader reader;

  /**
   * @param maxFrameBytes largest frame accepted or produced, in UTF-8 bytes
   * @param maxDepth deepest JSON nesting accepted (the where filter inside a job's spec nests)
   * @param maxRows most rows in one result frame
   */
  public RunnerFrameCodec(int maxFrameBytes, int maxDepth, int maxRows) {
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024");
    }
    if (maxDepth < 8 || maxDepth > 1000) {
      throw new IllegalArgumentException("maxDepth must be 8..1000");
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be positive");
    }
    this.maxFrameBytes = maxFrameBytes;
    this.maxRows = maxRows;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxStringLength(maxFrameBytes)
            .maxNumberLength(64)
            .maxNameLength(256)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        // decimals keep their scale, so a runner's 12.50 reaches the client as direct mode's 12.50
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    this.mapper.getFactory().disable(JsonParser.Feature.ALLOW_COMMENTS);
    this.reader = new FrameReader(maxRows);
  }

  /** {@value #DEFAULT_MAX_FRAME_BYTES} bytes, depth {@value #DEFAULT_MAX_DEPTH}, {@value #DEFAULT_MAX_ROWS} rows. */
  public static RunnerFrameCodec withDefaults() {
    return new RunnerFrameCodec(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ROWS);
  }

  public int maxFrameBytes() { return maxFrameBytes; }

  public int maxRows() { return maxRows; }

  /**
   * Decodes one text frame.
   *
   * @throws MalformedFrameException for anything that is not a valid frame within the bounds
   */
  public RunnerFrame decode(String text) throws MalformedFrameException {
    if (text == null) {
      throw new MalformedFrameException("frame is empty");
    }
    // chars <= UTF-8 bytes <= 3 * chars: the exact count is only needed in between
    if (text.length() > maxFrameBytes
        || (text.length() * 3L > maxFrameBytes && utf8Length(text) > maxFrameBytes)) {
      throw new MalformedFrameException("frame exceeds " + maxFrameBytes + " bytes");
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (IOException | RuntimeException e) {
      throw new MalformedFrameException("frame is not valid JSON within limits");
    } catch (StackOverflowError e) {
      throw new MalformedFrameException("frame nests too deeply");
    }
    return decodeTree(tree);
  }

  /** Decodes one frame given as UTF-8 bytes (a binary WebSocket message). */
  public RunnerFrame decode(byte[] utf8) throws MalformedFrameException {
    if (utf8 == null || utf8.length > maxFrameBytes) {
      throw new MalformedFrameException("frame exceeds " + maxFrameBytes + " bytes");
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(utf8);
    } catch (IOException | RuntimeException e) {
      throw new MalformedFrameException("frame is not valid JSON within limits");
    } catch (StackOverflowError e) {
      throw new MalformedFrameException("frame nests too deeply");
    }
    return decodeTree(tree);
  }

  private RunnerFrame decodeTree(JsonNode tree) throws MalformedFrameException {
    try {
      return reader.read(tree);
    } catch (MalformedFrameException e) {
      throw e;
    } catch (RuntimeException e) {
      // A record or mapping constructor rejected a value the checks above let through.
      throw new MalformedFrameException("frame has an invalid value");
    }
  }

  /**
   * Encodes a frame as JSON text.
   *
   * @throws IllegalArgumentException if the encoded frame exceeds {@code maxFrameBytes}, or a
   *     result carries more than {@code maxRows} rows
   */
  public String encode(RunnerFrame frame) {
    ObjectNode o = toJson(frame);
    String text = o.toString();
    if (text.length() > maxFrameBytes || utf8Length(text) > maxFrameBytes) {
      throw new IllegalArgumentException("encoded " + frame.type() + " frame exceeds " + maxFrameBytes + " bytes");
    }
    return text;
  }

  private ObjectNode toJson(RunnerFrame frame) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", frame.type());
    if (frame instanceof RunnerFrame.Hello) {
      RunnerFrame.Hello h = (RunnerFrame.Hello) frame;
      o.put("runnerId", h.runnerId()).put("sessionId", h.sessionId()).put("heartbeatSeconds", h.heartbeatSeconds());
    } else if (frame instanceof RunnerFrame.Job) {
      writeJob(o, (RunnerFrame.Job) frame);
    } else if (frame instanceof RunnerFrame.Cancel) {
      o.put("jobId", ((RunnerFrame.Cancel) frame).jobId());
    } else if (frame instanceof RunnerFrame.Refused) {
      o.put("code", ((RunnerFrame.Refused) frame).code());
    } else if (frame instanceof RunnerFrame.Heartbeat) {
      RunnerFrame.Heartbeat h = (RunnerFrame.Heartbeat) frame;
      o.put("version", h.version());
      ArrayNode sources = o.putArray("sources");
      h.sources().forEach(sources::add);
    } else if (frame instanceof RunnerFrame.Result) {
      writeResult(o, (RunnerFrame.Result) frame);
    } else if (frame instanceof RunnerFrame.Error) {
      RunnerFrame.Error e = (RunnerFrame.Error) frame;
      e.jobId().ifPresent(id -> o.put("jobId", id));
      o.put("code", e.code()).put("message", e.message());
    } else {
      throw new IllegalStateException("unhandled frame type " + frame.type());
    }
    return o;
  }

  private static void writeJob(ObjectNode o, RunnerFrame.Job j) {
    o.put("jobId", j.jobId()).put("kind", j.kind().wireName()).put("source", j.source());
    ObjectNode lens = o.putObject("lens");
    LensMapping m = j.lens();
    lens.put("name", m.name());
    m.schema().ifPresent(s -> lens.put("schema", s));
    lens.put("table", m.table()).put("primaryKey", m.primaryKey());
    ArrayNode fields = lens.putArray("fields");
    for (LensMapping.Field f : m.fields()) {
      fields.addObject().put("name", f.name()).put("column", f.column()).put("type", f.type());
    }
    o.set("spec", j.spec());
    j.credentials().ifPresent(c -> o.putObject("credentials")
        .put("url", c.url()).put("user", c.user()).put("password", c.password().revealUtf8()));
    o.put("deadlineMillis", j.deadlineMillis());
  }

  private void writeResult(ObjectNode o, RunnerFrame.Result r) {
    if (r.rows().size() > maxRows) {
      throw new IllegalArgumentException("result frame carries more than " + maxRows + " rows");
    }
    o.put("jobId", r.jobId());
    ArrayNode rows = o.putArray("rows");
    r.rows().forEach(rows::add);
    o.put("done", r.done()).put("rowCount", r.rowCount()).put("durationMs", r.durationMs());
    r.next().ifPresent(n -> o.set("next", n));
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
