package dev.lensgate.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InternalDispatchClient#stream} against a scripted runner-facing node: the NDJSON answer
 * read line by line, and every way it can go wrong ending as the right exception, never as a
 * short result.
 */
class InternalDispatchStreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final String NDJSON = "application/x-ndjson";

  private ScriptedPeer peer;
  private final List<List<JsonNode>> chunks = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    peer = new ScriptedPeer();
  }

  @AfterEach
  void stop() throws IOException {
    peer.close();
  }

  private InternalDispatchClient client(long maxResponseBytes) {
    return new InternalDispatchClient(URI.create("http://127.0.0.1:" + peer.port() + "/internal/dispatch"),
        SecretBytes.fromUtf8(TOKEN), Duration.ofMillis(300), maxResponseBytes);
  }

  private static JobRequest read(long deadlineMillis) {
    LensMapping lens = new LensMapping("items", Optional.empty(), "items", "id",
        List.of(new LensMapping.Field("id", "id", "integer")));
    return new JobRequest("org_1", "env_1", "local", List.of("edge-1"), JobKind.READ, lens,
        JSON.createObjectNode().put("limit", 1000), Optional.empty(), Duration.ofMillis(deadlineMillis));
  }

  private JobOutcome stream(long maxRows) {
    return client(1 << 20).stream(read(5000), maxRows, chunks::add);
  }

  private static String rows(int from, int count) {
    StringBuilder b = new StringBuilder("{\"rows\":[");
    for (int i = 0; i < count; i++) {
      b.append(i == 0 ? "" : ",").append("{\"id\":").append(from + i).append('}');
    }
    return b.append("]}\n").toString();
  }

  private static String done(long rowCount) {
    return "{\"done\":{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rowCount\":" + rowCount + "}}\n";
  }

  private static String error(String code) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"from B: " + code + "\"}}\n";
  }

  private LensgateException failure(long maxRows) {
    try {
      stream(maxRows);
    } catch (LensgateException e) {
      return e;
    }
    throw new AssertionError("the stream succeeded; chunks " + chunks.size());
  }

  private List<Long> ids() {
    List<Long> ids = new ArrayList<>();
    chunks.forEach(c -> c.forEach(r -> ids.add(r.path("id").asLong())));
    return ids;
  }

  @Test
  void chunks_reachTheConsumerInOrder_andTheRequestIsTheStreamedJob() throws Exception {
    peer.answer(out -> {
      out.head(200, NDJSON);
      for (int c = 0; c < 3; c++) {
        out.chunk(rows(c * 1000 + 1, 1000));
      }
      // A line may be split across chunks of the transfer encoding.
      String last = done(3000);
      out.chunk(last.substring(0, 7)).chunk(last.substring(7)).end();
    });
    JobOutcome outcome = stream(5000);
    assertThat(outcome.rowCount()).isEqualTo(3000);
    assertThat(outcome.rows()).isEmpty();
    assertThat(outcome.jobId()).isEqualTo("job_1");
    assertThat(outcome.runnerId()).isEqualTo("run_1");
    assertThat(chunks).hasSize(3).allSatisfy(c -> assertThat(c).hasSize(1000));
    List<Long> ids = ids();
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(i + 1L);
    }
    ScriptedPeer.Request req = peer.requests.poll(5, TimeUnit.SECONDS);
    assertThat(req.requestLine()).isEqualTo("POST /internal/dispatch/stream HTTP/1.1");
    assertThat(req.authorization()).isEqualTo("Bearer " + TOKEN);
    JsonNode body = JSON.readTree(req.body());
    assertThat(body.path("maxRows").asLong()).isEqualTo(5000);
    assertThat(body.path("kind").asText()).isEqualTo("read");
    assertThat(body.has("credentials")).isFalse();
  }

  @Test
  void errorLineAfterRows_isThePassedThroughException_notAShortResult() {
    for (ErrorCode c : new ErrorCode[] {ErrorCode.SOURCE_UNREACHABLE, ErrorCode.UPSTREAM_TIMEOUT,
        ErrorCode.RUNNER_FAILED, ErrorCode.NO_RUNNERS_ONLINE}) {
      chunks.clear();
      peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 10)).chunk(error(c.code())).end());
      LensgateException e = failure(100);
      assertThat(e.code()).as(c.code()).isEqualTo(c);
      assertThat(e.getMessage()).isEqualTo("from B: " + c.code());
      assertThat(chunks).as("the rows before the error were seen, and nothing claims they are all").hasSize(1);
    }
  }

  @Test
  void errorLineWithAnotherCode_is502RunnerFailed() {
    for (String code : new String[] {"internal_error", "invalid_api_key", "Not A Code"}) {
      peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 2)).chunk(error(code)).end());
      assertThat(failure(100).code()).as(code).isEqualTo(ErrorCode.RUNNER_FAILED);
    }
  }

  @Test
  void refusalBeforeTheStream_keepsTheEnvelopesCode() {
    peer.answer(out -> out.head(503, "application/json").chunk(
        "{\"error\":{\"code\":\"no_runners_online\",\"message\":\"none online\",\"requestId\":\"req_1\"}}").end());
    LensgateException e = failure(100);
    assertThat(e.code()).isEqualTo(ErrorCode.NO_RUNNERS_ONLINE);
    assertThat(e.getMessage()).isEqualTo("none online");

    // A wrong internal token is the link's fault, not the caller's: 502, as on the plain route.
    peer.answer(out -> out.head(401, "application/json").chunk(
        "{\"error\":{\"code\":\"invalid_api_key\",\"message\":\"invalid internal bearer\"}}").end());
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    peer.answer(out -> out.head(502, "text/html").chunk("<html>bad gateway</html>").end());
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
  }

  @Test
  void streamEndingWithoutDone_is502RunnerFailed() {
    peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 10)).end());
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    assertThat(chunks).hasSize(1);
  }

  @Test
  void connectionCutMidStream_is502RunnerFailed() {
    // Half a line, then the socket closes without the terminating chunk.
    peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 10)).chunk("{\"rows\":[{\"id\":11},"));
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    assertThat(ids()).hasSize(10);
  }

  @Test
  void malformedLine_is502RunnerFailed() {
    peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 10)).chunk("{\"rows\":[{\"id\":[1]}]}\n")
        .chunk(done(11)).end());
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    peer.answer(out -> out.head(200, NDJSON).chunk("not json\n").chunk(done(0)).end());
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
  }

  @Test
  void oversizedLine_is502RunnerFailed() {
    peer.answer(out -> {
      out.head(200, NDJSON).chunk(rows(1, 10));
      out.chunk(rows(11, 1000)).chunk(done(1010)).end(); // over 4 KiB in one line
    });
    LensgateException e;
    try {
      client(4096).stream(read(5000), 10_000, chunks::add);
      throw new AssertionError("an oversized line was accepted");
    } catch (LensgateException x) {
      e = x;
    }
    assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    assertThat(ids()).hasSize(10);
  }

  @Test
  void rowCountDisagreeingWithTheRows_is502RunnerFailed() {
    peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 10)).chunk(done(11)).end());
    assertThat(failure(100).code()).isEqualTo(ErrorCode.RUNNER_FAILED);
  }

  @Test
  void moreRowsThanMaxRows_is502RunnerFailed_beforeTheConsumerSeesThem() {
    peer.answer(out -> out.head(200, NDJSON).chunk(rows(1, 10)).chunk(rows(11, 10)).chunk(done(20)).end());
    LensgateException e = failure(15);
    assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED);
    assertThat(e.getMessage()).contains("row cap");
    assertThat(ids()).hasSize(10);
  }

  @Test
  void stalledStream_endsAtTheDeadlinePlusMargin_with504() {
    peer.answer(out -> {
      out.head(200, NDJSON).chunk(rows(1, 10));
      peer.stall();
    });
    LensgateException e;
    try {
      client(1 << 20).stream(read(200), 100, chunks::add);
      throw new AssertionError("a stalled stream ended normally");
    } catch (LensgateException x) {
      e = x;
    }
    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(chunks).hasSize(1);
  }

  @Test
  void nodeUnreachable_is502RunnerFailed() throws IOException {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    InternalDispatchClient client = new InternalDispatchClient(URI.create("http://127.0.0.1:" + dead + "/internal/dispatch"),
        SecretBytes.fromUtf8(TOKEN), Duration.ofMillis(300), 1 << 20);
    assertThatThrownBy(() -> client.stream(read(2000), 10, chunks::add))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED));
  }

  @Test
  void consumerThrows_exceptionPropagatesAndTheStreamIsDropped() throws Exception {
    peer.answer(out -> {
      out.head(200, NDJSON);
      for (int i = 0; peer.released.getCount() > 0; i++) {
        out.chunk(rows(i * 10 + 1, 10)); // until the client hangs up (the write fails)
      }
    });
    IllegalStateException boom = new IllegalStateException("sink is full");
    assertThatThrownBy(() -> client(1 << 20).stream(read(5000), Long.MAX_VALUE, c -> {
      throw boom;
    })).isSameAs(boom);
    assertThat(peer.clientLeft.await(10, TimeUnit.SECONDS)).as("the client dropped the connection").isTrue();
  }

  @Test
  void maxRowsBelowOne_isRefusedUpFront() {
    assertThatThrownBy(() -> client(1 << 20).stream(read(1000), 0, chunks::add))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(peer.requests).isEmpty();
  }
}
