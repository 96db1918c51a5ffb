package dev.lensgate.runner.e2e;

import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.runner.Backoff;
import dev.lensgate.runner.JobExecutor;
import dev.lensgate.runner.RunnerConnection;
import dev.lensgate.runner.RunnerSettings;
import dev.lensgate.runner.SpkiPin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Test-only entry point of a runner process ({@link RunnerProcess} starts it in its own JVM). It
 * builds the runner exactly as {@code lensgate runner} does (lensgate-cli {@code RunnerCommand}):
 * settings from the environment ({@code LENSGATE_RUNNER_ID}, {@code LENSGATE_RUNNER_TOKEN},
 * {@code LENSGATE_GATEWAY_URL}, {@code LENSGATE_SOURCE_*}), the same options ({@code --pin},
 * {@code --ca-file}, {@code --insecure-loopback}; the token is never an argument), the standard
 * jittered backoff and refused delay. The CLI module is not on this module's test classpath, hence
 * this copy of its few lines of wiring.
 *
 * <p>Additions for tests only: each connection event is printed as one {@code EVENT ...} line, and
 * the process exits when its standard input ends, so a test JVM that dies without running its
 * shutdown hooks leaves no runner behind.
 */
final class RunnerMain {
  private RunnerMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    RunnerSettings.Builder b = RunnerSettings.fromEnvironment(env);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pin":
          b.pin(SpkiPin.parse(args[++i]));
          break;
        case "--ca-file":
          b.extraCaFile(Path.of(args[++i]));
          break;
        case "--insecure-loopback":
          b.allowInsecureLoopback(true);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    RunnerSettings settings = b.build();
    JobExecutor jobs = JobExecutor.fromEnvironment(env, Clock.systemUTC());
    RunnerConnection connection = new RunnerConnection(settings, jobs, jobs::announcedSources, "e2e-process",
        Backoff.standard(new SecureRandom()), RunnerConnection.DEFAULT_REFUSED_DELAY, new EventPrinter());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      connection.stop();
      jobs.close();
    }, "lensgate-runner-shutdown"));
    Thread parentWatch = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // Nothing is sent; only the end of the stream matters.
        }
      } catch (IOException e) {
        // The pipe broke: the parent is gone as well.
      }
      System.exit(3);
    }, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    System.out.println("runner " + settings.runnerId() + " dialing " + settings.gatewayUrl());
    System.out.flush();
    connection.start();
    connection.awaitStop();
  }

  /** One line per event, flushed, for the test to read from the process's output file. */
  private static final class EventPrinter implements RunnerConnection.Listener {
    @Override
    public void onHello(RunnerFrame.Hello hello) {
      print("EVENT hello " + hello.runnerId());
    }

    @Override
    public void onRefused(String code) {
      print("EVENT refused " + code);
    }

    @Override
    public void onDisconnected(Duration retryIn) {
      print("EVENT disconnected retry_ms=" + retryIn.toMillis());
    }

    private static void print(String line) {
      synchronized (System.out) {
        System.out.println(line);
        System.out.flush();
      }
    }
  }
}
