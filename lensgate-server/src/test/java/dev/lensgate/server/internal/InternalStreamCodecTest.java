package dev.lensgate.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The NDJSON lines of a streamed answer, the streamed job's wire form, and the line splitter. */
class InternalStreamCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InternalJobCodec jobs = new InternalJobCodec();
  private final InternalStreamCodec codec = new InternalStreamCodec(jobs);

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] withoutNewline(byte[] line) {
    assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
    return java.util.Arrays.copyOf(line, line.length - 1);
  }

  @Test
  void rowsDoneAndError_encodeAsOneTerminatedLineEach_andDecodeBack() throws IOException {
    List<JsonNode> rows = List.of(jobs.parse(bytes("{\"id\":1,\"price\":12.50,\"note\":\"a\\nb\"}"), ErrorCode.INTERNAL),
        jobs.parse(bytes("{\"id\":2,\"price\":null,\"note\":\"c\"}"), ErrorCode.INTERNAL));
    byte[] line = codec.encodeRows(rows);
    assertThat(text(line)).endsWith("\n").doesNotContain("\n{").hasLineCount(1);
    InternalStreamCodec.Line back = codec.decode(withoutNewline(line));
    assertThat(back).isInstanceOf(InternalStreamCodec.Rows.class);
    assertThat(((InternalStreamCodec.Rows) back).rows().toString())
        .isEqualTo("[{\"id\":1,\"price\":12.50,\"note\":\"a\\nb\"}, {\"id\":2,\"price\":null,\"note\":\"c\"}]");

    byte[] done = codec.encodeDone(new JobOutcome("job_1", "run_1", List.of(), 25_000, Optional.empty()));
    assertThat(text(done)).isEqualTo("{\"done\":{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rowCount\":25000}}\n");
    assertThat(codec.decode(withoutNewline(done))).isEqualTo(new InternalStreamCodec.Done("job_1", "run_1", 25_000));

    byte[] error = codec.encodeError(ErrorCode.SOURCE_UNREACHABLE, "the runner could not reach the source");
    assertThat(text(error)).isEqualTo(
        "{\"error\":{\"code\":\"source_unreachable\",\"message\":\"the runner could not reach the source\"}}\n");
    assertThat(codec.decode(withoutNewline(error)))
        .isEqualTo(new InternalStreamCodec.Failed("source_unreachable", "the runner could not reach the source"));
  }

  @Test
  void invalidLines_are502RunnerFailed_withoutQuotingTheLine() {
    StringBuilder tooMany = new StringBuilder("{\"rows\":[");
    for (int i = 0; i <= InternalJobCodec.MAX_ROWS; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
    }
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("not json", "SECRET_ROW{");
    lines.put("empty", "");
    lines.put("array", "[1]");
    lines.put("two fields", "{\"rows\":[],\"done\":{\"jobId\":\"j\",\"runnerId\":\"r\",\"rowCount\":0}}");
    lines.put("unknown field", "{\"more\":[]}");
    lines.put("rows not array", "{\"rows\":{}}");
    lines.put("nested row value", "{\"rows\":[{\"id\":{\"x\":1}}]}");
    lines.put("row not object", "{\"rows\":[1]}");
    lines.put("too many rows", tooMany.append("]}").toString());
    lines.put("done extra field", "{\"done\":{\"jobId\":\"j\",\"runnerId\":\"r\",\"rowCount\":0,\"x\":1}}");
    lines.put("done bad id", "{\"done\":{\"jobId\":\"j k\",\"runnerId\":\"r\",\"rowCount\":0}}");
    lines.put("done negative count", "{\"done\":{\"jobId\":\"j\",\"runnerId\":\"r\",\"rowCount\":-1}}");
    lines.put("error no code", "{\"error\":{\"message\":\"m\"}}");
    lines.put("error code not text", "{\"error\":{\"code\":5,\"message\":\"m\"}}");
    lines.put("error message too long", "{\"error\":{\"code\":\"runner_failed\",\"message\":\"" + "m".repeat(1001) + "\"}}");
    lines.put("trailing tokens", "{\"rows\":[]} {\"rows\":[]}");
    for (Map.Entry<String, String> l : lines.entrySet()) {
      assertThatThrownBy(() -> codec.decode(bytes(l.getValue()))).as(l.getKey())
          .isInstanceOfSatisfying(LensgateException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED);
            assertThat(e.getMessage()).doesNotContain("SECRET_ROW");
          });
    }
  }

  @Test
  void streamJob_carriesMaxRows_andThePlainJobRefusesIt() throws IOException {
    LensMapping lens = new LensMapping("items", Optional.empty(), "items", "id",
        List.of(new LensMapping.Field("id", "id", "integer")));
    JobRequest read = new JobRequest("org_1", "env_1", "local", List.of("edge-1"), JobKind.READ, lens,
        JSON.createObjectNode().put("limit", 1000), Optional.empty(), Duration.ofMinutes(30));
    JsonNode wire = JSON.readTree(jobs.encodeStreamJob(read, 50_000_000L));
    assertThat(wire.path("maxRows").asLong()).isEqualTo(50_000_000L);
    InternalJobCodec.StreamJob back = jobs.decodeStreamJob(wire);
    assertThat(back.maxRows()).isEqualTo(50_000_000L);
    assertThat(back.request().kind()).isEqualTo(JobKind.READ);
    assertThat(back.request().deadline()).isEqualTo(Duration.ofMinutes(30));

    assertThatThrownBy(() -> jobs.decodeJob(wire)).isInstanceOfSatisfying(LensgateException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    for (String bad : new String[] {"0", "-1", "\"10\"", "1.5", "1099511627777"}) {
      JsonNode tree = JSON.readTree(text(jobs.encodeStreamJob(read, 1)).replace("\"maxRows\":1", "\"maxRows\":" + bad));
      assertThatThrownBy(() -> jobs.decodeStreamJob(tree)).as(bad).isInstanceOfSatisfying(LensgateException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
    JsonNode without = JSON.readTree(jobs.encodeJob(read));
    assertThatThrownBy(() -> jobs.decodeStreamJob(without)).isInstanceOfSatisfying(LensgateException.class,
        e -> assertThat(e.getMessage()).contains("maxRows"));
  }

  // ---- NdjsonLines -----------------------------------------------------------------------------

  /** A subscription that only counts demand and cancellation. */
  private static final class Demand implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }

  private static List<ByteBuffer> buffers(String... parts) {
    List<ByteBuffer> list = new ArrayList<>();
    for (String p : parts) {
      list.add(ByteBuffer.wrap(bytes(p)));
    }
    return list;
  }

  private static String next(NdjsonLines lines) throws InterruptedException {
    NdjsonLines.Item item = lines.next(System.nanoTime() + 5_000_000_000L);
    if (item instanceof NdjsonLines.Line l) {
      return text(l.bytes());
    }
    return item == null ? "(nothing)" : item.getClass().getSimpleName();
  }

  @Test
  void lines_splitAcrossBuffers_keepOrder_andALastLineWithoutNewlineCounts() throws InterruptedException {
    NdjsonLines lines = new NdjsonLines(64);
    Demand demand = new Demand();
    lines.onSubscribe(demand);
    lines.onNext(buffers("{\"a\":", "1}\n{\"b\"", ":2}\n"));
    lines.onNext(buffers("\n{\"c\":3}"));
    lines.onComplete();
    assertThat(next(lines)).isEqualTo("{\"a\":1}");
    assertThat(next(lines)).isEqualTo("{\"b\":2}");
    assertThat(next(lines)).isEqualTo("");
    assertThat(next(lines)).isEqualTo("{\"c\":3}");
    assertThat(next(lines)).isEqualTo("End");
    assertThat(demand.cancelled).isFalse();
  }

  @Test
  void lines_overTheBound_cancelAndEndWithTooLarge() throws InterruptedException {
    NdjsonLines lines = new NdjsonLines(8);
    Demand demand = new Demand();
    lines.onSubscribe(demand);
    lines.onNext(buffers("12345678\n123456789"));
    assertThat(demand.cancelled).isTrue();
    assertThat(next(lines)).isEqualTo("12345678");
    NdjsonLines.Item broken = lines.next(System.nanoTime() + 5_000_000_000L);
    assertThat(broken).isInstanceOfSatisfying(NdjsonLines.Broken.class,
        b -> assertThat(b.cause()).isInstanceOf(BoundedBody.TooLarge.class));
    lines.onNext(buffers("more\n"));
    lines.onComplete();
    assertThat(lines.next(System.nanoTime())).as("nothing after the failure").isNull();
  }

  @Test
  void lines_requestMoreOnlyWhileTheConsumerKeepsUp_andErrorsEndTheLines() throws InterruptedException {
    NdjsonLines lines = new NdjsonLines(64);
    Demand demand = new Demand();
    lines.onSubscribe(demand);
    assertThat(demand.requested.get()).isEqualTo(1);
    lines.onNext(buffers("1\n2\n3\n4\n5\n"));
    assertThat(demand.requested.get()).as("the queue is full: no more demand").isEqualTo(1);
    assertThat(next(lines)).isEqualTo("1");
    assertThat(next(lines)).isEqualTo("2");
    assertThat(demand.requested.get()).as("drained below the bound: demand again").isEqualTo(2);
    lines.onError(new IOException("connection reset"));
    assertThat(next(lines)).isEqualTo("3");
    assertThat(next(lines)).isEqualTo("4");
    assertThat(next(lines)).isEqualTo("5");
    assertThat(next(lines)).isEqualTo("Broken");
  }

  @Test
  void lines_nothingInTime_isNull() throws InterruptedException {
    NdjsonLines lines = new NdjsonLines(64);
    lines.onSubscribe(new Demand());
    assertThat(lines.next(System.nanoTime() + 10_000_000L)).isNull();
    lines.cancel();
    lines.cancel();
  }
}
