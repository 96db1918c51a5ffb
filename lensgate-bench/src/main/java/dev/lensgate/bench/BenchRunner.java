package dev.lensgate.bench;

import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.runner.Backoff;
import dev.lensgate.runner.JobExecutor;
import dev.lensgate.runner.RunnerConnection;
import dev.lensgate.runner.RunnerSettings;
import dev.lensgate.runner.RunnerToken;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real runner — {@link RunnerConnection} + {@link JobExecutor}, wired as {@code lensgate runner}
 * wires them (16 job threads, 2,048 queued) — in the bench JVM, dialing the gateway on
 * {@code ws://127.0.0.1} with the insecure-loopback opt-in. Its sources are runner-local: their
 * credentials come from {@code env} ({@code LENSGATE_SOURCE_<NAME>_URL|USER|PASSWORD}), never from
 * the gateway.
 */
final class BenchRunner implements AutoCloseable {
  private final JobExecutor jobs;
  private final RunnerConnection connection;
  private final CompletableFuture<RunnerFrame.Hello> hello = new CompletableFuture<>();

  private BenchRunner(int gatewayPort, String runnerName, String token, Map<String, String> env) {
    RunnerSettings settings = RunnerSettings.builder().runnerId(runnerName).token(RunnerToken.of(token))
        .gatewayUrl("ws://127.0.0.1:" + gatewayPort).allowInsecureLoopback(true).build();
    jobs = JobExecutor.fromEnvironment(env, Clock.systemUTC());
    connection = new RunnerConnection(settings, jobs, jobs::localSourceNames, "bench",
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), new Random(7)), Duration.ofMinutes(10),
        new RunnerConnection.Listener() {
          @Override
          public void onHello(RunnerFrame.Hello h) {
            hello.complete(h);
          }
        });
  }

  /** Starts the runner and waits (at most 20 s) for the gateway's {@code hello}. */
  static BenchRunner startOnline(int gatewayPort, String runnerName, String token, Map<String, String> env)
      throws Exception {
    BenchRunner r = new BenchRunner(gatewayPort, runnerName, token, env);
    r.connection.start();
    try {
      r.hello.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      r.close();
      throw e;
    }
    return r;
  }

  @Override
  public void close() {
    connection.stop();
    jobs.close();
  }
}
