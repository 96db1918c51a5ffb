package dev.lensgate.runner.e2e;

import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.runner.Backoff;
import dev.lensgate.runner.JobExecutor;
import dev.lensgate.runner.RunnerConnection;
import dev.lensgate.runner.RunnerSettings;
import dev.lensgate.runner.RunnerToken;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real runner (its {@link RunnerConnection} and {@link JobExecutor}, wired as
 * {@code lensgate runner} wires them) in this JVM, dialing a loopback gateway over {@code ws://}
 * with the explicit insecure-loopback opt-in. The listener records what the connection went
 * through, so tests can wait for {@code hello} and see refusals and reconnect delays.
 */
final class InProcessRunner implements AutoCloseable {
  /** After a key refusal the runner waits this long; a test that saw a quicker redial would fail. */
  static final Duration REFUSED_DELAY = Duration.ofMinutes(10);

  final CompletableFuture<RunnerFrame.Hello> firstHello = new CompletableFuture<>();
  final AtomicInteger hellos = new AtomicInteger();
  final CompletableFuture<String> refused = new CompletableFuture<>();
  final CompletableFuture<Long> disconnectedAtNanos = new CompletableFuture<>();
  final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
  private final JobExecutor jobs;
  private final RunnerConnection connection;

  private InProcessRunner(int gatewayPort, String runnerName, String token, Map<String, String> env) {
    RunnerSettings settings = RunnerSettings.builder().runnerId(runnerName).token(RunnerToken.of(token))
        .gatewayUrl("ws://127.0.0.1:" + gatewayPort).allowInsecureLoopback(true).build();
    jobs = JobExecutor.fromEnvironment(env, Clock.systemUTC());
    // A short, fixed-seed backoff: reconnects after an ordinary drop stay quick in tests.
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), new Random(7));
    connection = new RunnerConnection(settings, jobs, jobs::announcedSources, "e2e-test", backoff, REFUSED_DELAY,
        new RunnerConnection.Listener() {
          @Override
          public void onHello(RunnerFrame.Hello hello) {
            hellos.incrementAndGet();
            firstHello.complete(hello);
          }

          @Override
          public void onRefused(String code) {
            refused.complete(code);
          }

          @Override
          public void onDisconnected(Duration retryIn) {
            long now = System.nanoTime();
            // Delay first: a test woken by the future reads retryDelays at once.
            retryDelays.add(retryIn);
            disconnectedAtNanos.complete(now);
          }
        });
  }

  /** Starts the runner and waits (bounded) until the gateway said {@code hello}. */
  static InProcessRunner startOnline(int gatewayPort, String runnerName, String token, Map<String, String> env)
      throws Exception {
    InProcessRunner r = new InProcessRunner(gatewayPort, runnerName, token, env);
    r.connection.start();
    r.firstHello.get(20, TimeUnit.SECONDS);
    return r;
  }

  /** Closes the socket and cancels in-flight jobs, as a runner shutting down does. */
  void stop() {
    connection.stop();
  }

  @Override
  public void close() {
    connection.stop();
    jobs.close();
  }
}
