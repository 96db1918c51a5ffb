package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.testkit.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The connection loop against a real WebSocket server on loopback. */
class RunnerConnectionTest {
  private final FakeGateway gateway = new FakeGateway();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final CompletableFuture<RunnerFrame.Hello> hello = new CompletableFuture<>();
  private final BlockingQueue<Duration> retries = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> refused = new CompletableFuture<>();
  private JobExecutor jobs;
  private RunnerConnection connection;

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.stop();
    }
    if (jobs != null) {
      jobs.close();
    }
    gateway.close();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage()).doesNotContain("token0123456789");
    }
  }

  private RunnerConnection connect(String token, Duration heartbeat) {
    RunnerSettings settings = RunnerSettings.builder().runnerId("edge-1").token(RunnerToken.of(token))
        .gatewayUrl(gateway.url()).allowInsecureLoopback(true).heartbeatInterval(heartbeat).build();
    jobs = new JobExecutor(LocalSources.fromEnvironment(Map.of()), AllowList.allowAll(), Clock.systemUTC(), 4, 64);
    // nextDouble() == 0: every reconnect is immediate, so the test never waits on jitter.
    Random zero = new Random() {
      private static final long serialVersionUID = 1L;

      @Override
      public double nextDouble() {
        return 0;
      }
    };
    connection = new RunnerConnection(settings, jobs, () -> List.of("main"), "test-1", Backoff.standard(zero),
        Duration.ofHours(1), new RunnerConnection.Listener() {
          @Override
          public void onHello(RunnerFrame.Hello h) {
            hello.complete(h);
          }

          @Override
          public void onRefused(String code) {
            refused.complete(code);
          }

          @Override
          public void onDisconnected(Duration retryIn) {
            retries.add(retryIn);
          }
        });
    connection.start();
    return connection;
  }

  @Test
  void connect_hello_thenHeartbeatsRepeatWithVersionAndSources() throws Exception {
    connect(FakeGateway.GOOD, Duration.ofMillis(50));
    assertThat(hello.get(20, TimeUnit.SECONDS).runnerId()).isEqualTo("edge-1");
    RunnerFrame.Heartbeat first = gateway.next(RunnerFrame.Heartbeat.class);
    gateway.next(RunnerFrame.Heartbeat.class);
    gateway.next(RunnerFrame.Heartbeat.class);
    assertThat(first.version()).isEqualTo("test-1");
    assertThat(first.sources()).containsExactly("main");
  }

  @Test
  void job_overTheSocket_answeredWithResult() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      Jobs.createItems(db, 3);
      connect(FakeGateway.GOOD, Duration.ofSeconds(25));
      hello.get(20, TimeUnit.SECONDS);
      for (int i = 0; i < 20; i++) {
        gateway.send(Jobs.query("j" + i, db));
      }
      for (int i = 0; i < 20; i++) {
        RunnerFrame.Result r = gateway.next(RunnerFrame.Result.class);
        assertThat(r.rowCount()).isEqualTo(3);
        assertThat(r.done()).isTrue();
      }
    }
  }

  @Test
  void malformedAndUnexpectedFrames_answeredWithErrorAndConnectionStays() throws Exception {
    try (TestDatabase db = TestDatabase.h2()) {
      Jobs.createItems(db, 1);
      connect(FakeGateway.GOOD, Duration.ofSeconds(25));
      hello.get(20, TimeUnit.SECONDS);
      for (String bad : new String[] {"not json", "{\"type\":\"job\"}", "{\"type\":\"nope\"}", "[]", "{\"type\":\"job\",\"jobId\":5}",
          "{".repeat(5000)}) {
        gateway.send(bad);
        RunnerFrame.Error e = gateway.next(RunnerFrame.Error.class);
        assertThat(e.code()).isEqualTo("invalid_request");
        assertThat(e.jobId()).isEmpty();
      }
      gateway.send(new RunnerFrame.Heartbeat("x", List.of()));
      assertThat(gateway.next(RunnerFrame.Error.class).message()).contains("unexpected heartbeat");
      gateway.send(new RunnerFrame.Cancel("unknown-job"));
      gateway.send(Jobs.query("after", db));
      assertThat(gateway.next(RunnerFrame.Result.class).jobId()).isEqualTo("after");
      assertThat(gateway.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void gatewayDrops_runnerReconnectsAndGetsNewHello() throws Exception {
    connect(FakeGateway.GOOD, Duration.ofSeconds(25));
    hello.get(20, TimeUnit.SECONDS);
    gateway.dropLatest();
    assertThat(retries.poll(20, TimeUnit.SECONDS)).isNotNull();
    Jobs.await(() -> gateway.connections.get() == 2, "a second connection");
    gateway.next(RunnerFrame.Heartbeat.class);
  }

  @Test
  void gatewayDown_firstRetryWithinBaseBackoff() throws Exception {
    String url = gateway.url();
    gateway.close();
    RunnerSettings settings = RunnerSettings.builder().runnerId("edge-1").token(RunnerToken.of(FakeGateway.GOOD))
        .gatewayUrl(url).allowInsecureLoopback(true).build();
    jobs = new JobExecutor(LocalSources.fromEnvironment(Map.of()), AllowList.allowAll(), Clock.systemUTC(), 1, 1);
    connection = new RunnerConnection(settings, jobs, List::of, "t", Backoff.standard(new Random(1)), Duration.ofHours(1),
        new RunnerConnection.Listener() {
          @Override
          public void onDisconnected(Duration retryIn) {
            retries.add(retryIn);
          }
        });
    connection.start();
    Duration first = retries.poll(20, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.toMillis()).isBetween(0L, 1000L);
  }

  @Test
  void refusedKeyRevoked_longDelayNoRapidRetry() throws Exception {
    connect(FakeGateway.REVOKED, Duration.ofSeconds(25));
    assertThat(refused.get(20, TimeUnit.SECONDS)).isEqualTo("key_revoked");
    assertThat(retries.poll(20, TimeUnit.SECONDS)).isEqualTo(Duration.ofHours(1));
    assertThat(hello).isNotDone();
    assertThat(gateway.connections.get()).isEqualTo(1);
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("refused this runner's token"));
  }

  @Test
  void stop_closesSocketAndDoesNotReconnect() throws Exception {
    connect(FakeGateway.GOOD, Duration.ofSeconds(25));
    hello.get(20, TimeUnit.SECONDS);
    connection.stop();
    assertThat(gateway.closes.poll(20, TimeUnit.SECONDS)).isNotNull();
    assertThat(gateway.connections.get()).isEqualTo(1);
  }
}
