package dev.lensgate.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.runner.JobCredentials;
import dev.lensgate.core.runner.JobKind;
import dev.lensgate.core.runner.LensMapping;
import dev.lensgate.server.runner.JobOutcome;
import dev.lensgate.server.runner.JobRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API node's side of the link against a real loopback HTTP server standing in for the
 * runner-facing node, so every answer it could give (and some it never should) can be served.
 */
class InternalDispatchClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final String SENTINEL = "SENTINEL_client_pw_91c2";

  private HttpServer server;
  private final AtomicReference<String> requestBody = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private volatile int status = 200;
  private volatile String answer = "";
  private volatile long delayMillis;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/internal/dispatch", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    requestBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    } catch (IOException e) {
      // the client hung up (oversized answer, timeout)
    }
  }

  private InternalDispatchClient client(long maxResponseBytes, Duration margin) {
    return new InternalDispatchClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/internal/dispatch"),
        SecretBytes.fromUtf8(TOKEN), margin, maxResponseBytes);
  }

  private InternalDispatchClient client() {
    return client(1 << 20, Duration.ofSeconds(2));
  }

  private static JobRequest job(Optional<JobCredentials> credentials, long deadlineMillis) {
    LensMapping lens = new LensMapping("items", Optional.empty(), "items", "id",
        List.of(new LensMapping.Field("id", "id", "integer"), new LensMapping.Field("price", "price", "number")));
    return new JobRequest("org_1", "env_1", "local", List.of("edge-1"), JobKind.QUERY, lens,
        JSON.createObjectNode().put("limit", 5), credentials, Duration.ofMillis(deadlineMillis));
  }

  private static String envelope(String code) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"from B: " + code + "\",\"requestId\":\"req_1\"}}";
  }

  @Test
  void dispatch_okAnswer_returnsOutcomeWithDecimalScaleKept() {
    answer = "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[{\"id\":1,\"price\":12.50}],\"rowCount\":1,\"next\":[\"1\"]}";
    JobOutcome out = client().dispatch(job(Optional.empty(), 1000));
    assertThat(out.jobId()).isEqualTo("job_1");
    assertThat(out.runnerId()).isEqualTo("run_1");
    assertThat(out.rowCount()).isEqualTo(1);
    assertThat(out.rows().get(0).toString()).isEqualTo("{\"id\":1,\"price\":12.50}");
    assertThat(out.next().get().toString()).isEqualTo("[\"1\"]");
    assertThat(authorization.get()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void dispatch_jobWithCredentials_sendsNoCredentials() throws Exception {
    answer = "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[],\"rowCount\":0}";
    JobCredentials creds = new JobCredentials("jdbc:postgresql://db/x?password=" + SENTINEL, "u_" + SENTINEL,
        SecretBytes.fromUtf8(SENTINEL));
    client().dispatch(job(Optional.of(creds), 1000));
    assertThat(requestBody.get()).doesNotContain(SENTINEL).doesNotContain("credentials").doesNotContain("jdbc:");
    assertThat(JSON.readTree(requestBody.get()).path("deadlineMillis").asLong()).isEqualTo(1000);
  }

  @Test
  void dispatch_localPathErrorEnvelopes_keepTheirCode() {
    ErrorCode[] codes = {ErrorCode.NO_RUNNERS_ONLINE, ErrorCode.RUNNER_FAILED, ErrorCode.SOURCE_UNREACHABLE,
        ErrorCode.UPSTREAM_TIMEOUT};
    for (ErrorCode c : codes) {
      status = c.httpStatus();
      answer = envelope(c.code());
      assertThatThrownBy(() -> client().dispatch(job(Optional.empty(), 1000)))
          .as(c.code()).isInstanceOfSatisfying(LensgateException.class, e -> {
            assertThat(e.code()).isEqualTo(c);
            assertThat(e.getMessage()).isEqualTo("from B: " + c.code());
          });
    }
  }

  @Test
  void dispatch_otherStatusesOrCodes_are502RunnerFailed() {
    String[][] answers = {
        {"401", envelope("invalid_api_key")},
        {"400", envelope("invalid_request")},
        {"404", envelope("not_found")},
        {"500", envelope("internal_error")},
        {"400", envelope("no_runners_online")}, // code and status disagree
        {"502", "<html>bad gateway</html>"},
        {"503", ""},
    };
    for (String[] a : answers) {
      status = Integer.parseInt(a[0]);
      answer = a[1];
      assertThatThrownBy(() -> client().dispatch(job(Optional.empty(), 1000)))
          .as(a[0] + " " + a[1]).isInstanceOfSatisfying(LensgateException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED));
    }
  }

  @Test
  void dispatch_malformedOutcome_is502RunnerFailed() {
    String[] bad = {
        "not json",
        "[]",
        "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":{},\"rowCount\":0}",
        "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[{\"id\":{\"nested\":1}}],\"rowCount\":1}",
        "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[],\"rowCount\":-1}",
        "{\"jobId\":\"job 1\",\"runnerId\":\"run_1\",\"rows\":[],\"rowCount\":0}",
        "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[],\"rowCount\":0,\"extra\":1}",
        "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[],\"rowCount\":0,\"next\":[[1]]}",
    };
    for (String b : bad) {
      answer = b;
      assertThatThrownBy(() -> client().dispatch(job(Optional.empty(), 1000)))
          .as(b).isInstanceOfSatisfying(LensgateException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED));
    }
  }

  @Test
  void dispatch_answerOverTheBound_is502RunnerFailed() {
    answer = "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[{\"id\":1,\"price\":\"" + "x".repeat(8000) + "\"}],\"rowCount\":1}";
    assertThatThrownBy(() -> client(2048, Duration.ofSeconds(2)).dispatch(job(Optional.empty(), 1000)))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED));
  }

  @Test
  void dispatch_nodeSilentPastDeadlinePlusMargin_is504UpstreamTimeout() {
    delayMillis = 5000;
    answer = "{\"jobId\":\"job_1\",\"runnerId\":\"run_1\",\"rows\":[],\"rowCount\":0}";
    long started = System.nanoTime();
    assertThatThrownBy(() -> client(1 << 20, Duration.ofMillis(200)).dispatch(job(Optional.empty(), 300)))
        .isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT));
    long ms = (System.nanoTime() - started) / 1_000_000;
    System.out.println("silent node -> 504 after " + ms + " ms (deadline 300 + margin 200)");
    assertThat(ms).as("liveness bound").isLessThan(4500);
  }

  @Test
  void dispatch_nodeDown_is502RunnerFailed() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    InternalDispatchClient c = new InternalDispatchClient(URI.create("http://127.0.0.1:" + deadPort + "/internal/dispatch"),
        SecretBytes.fromUtf8(TOKEN), Duration.ofSeconds(1), 1 << 20);
    assertThatThrownBy(() -> c.dispatch(job(Optional.empty(), 1000)))
        .isInstanceOfSatisfying(LensgateException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RUNNER_FAILED);
          assertThat(e.getMessage()).doesNotContain(TOKEN);
        });
  }

  @Test
  void codec_decodeJob_roundTripsWithoutCredentials() {
    InternalJobCodec codec = new InternalJobCodec();
    JobCredentials creds = new JobCredentials("jdbc:x", "u", SecretBytes.fromUtf8(SENTINEL));
    JobRequest sent = job(Optional.of(creds), 1234);
    byte[] wire = codec.encodeJob(sent);
    assertThat(new String(wire, StandardCharsets.UTF_8)).doesNotContain(SENTINEL);
    JobRequest back;
    try {
      back = codec.decodeJob(JSON.readTree(wire));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(back.credentials()).isEmpty();
    assertThat(back.orgId()).isEqualTo("org_1");
    assertThat(back.envId()).isEqualTo("env_1");
    assertThat(back.source()).isEqualTo("local");
    assertThat(back.runnerNames()).containsExactly("edge-1");
    assertThat(back.kind()).isEqualTo(JobKind.QUERY);
    assertThat(back.lens()).isEqualTo(sent.lens());
    assertThat(back.spec()).isEqualTo(sent.spec());
    assertThat(back.deadline()).isEqualTo(Duration.ofMillis(1234));
  }
}
