package dev.lensgate.cli;

import dev.lensgate.runner.Backoff;
import dev.lensgate.runner.JobExecutor;
import dev.lensgate.runner.LocalSources;
import dev.lensgate.runner.RunnerConnection;
import dev.lensgate.runner.RunnerDoctor;
import dev.lensgate.runner.RunnerSettings;
import dev.lensgate.runner.SpkiPin;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate runner}: runs a runner until stopped; {@code lensgate runner doctor} checks its
 * setup. The token comes from {@code LENSGATE_RUNNER_TOKEN} or {@code --token-file}; there is
 * deliberately no option that takes the token itself (argv is visible to every local user).
 */
@Command(name = "runner", mixinStandardHelpOptions = true,
    description = {"Run a runner: dial out to the gateway over TLS WebSocket and execute lens reads.",
        "Reads LENSGATE_RUNNER_ID, LENSGATE_RUNNER_TOKEN, LENSGATE_GATEWAY_URL (wss://host[:port]),",
        "optional LENSGATE_RUNNER_PIN, LENSGATE_RUNNER_CA_FILE, LENSGATE_RUNNER_ALLOW=source:table,...",
        "and LENSGATE_SOURCE_<NAME>_URL|USER|PASSWORD for runner-local sources."},
    subcommands = {RunnerCommand.Doctor.class})
final class RunnerCommand implements Callable<Integer> {
  /** Connection options shared by {@code runner} and {@code runner doctor}. */
  static final class Options {
    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the rk_ token from this file instead of LENSGATE_RUNNER_TOKEN.")
    Path tokenFile;

    @Option(names = "--pin", paramLabel = "sha256/HASH", description = "Refuse any gateway key but this SPKI hash (checked before the token is sent).")
    String pin;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "Extra CA certificates (PEM) to trust besides the system roots.")
    Path caFile;

    @Option(names = "--insecure-loopback", description = "Allow ws:// (no TLS) to a loopback gateway, for local development only.")
    boolean insecureLoopback;

    RunnerSettings settings(Map<String, String> env) {
      RunnerSettings.Builder b = RunnerSettings.fromEnvironment(env);
      if (tokenFile != null) {
        b.tokenFile(tokenFile);
      }
      if (pin != null) {
        b.pin(SpkiPin.parse(pin));
      }
      if (caFile != null) {
        b.extraCaFile(caFile);
      }
      return b.allowInsecureLoopback(insecureLoopback).build();
    }
  }

  private final Map<String, String> environment;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  Options options = new Options();

  RunnerCommand() {
    this(System.getenv());
  }

  RunnerCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public Integer call() throws InterruptedException {
    RunnerSettings settings = options.settings(environment);
    JobExecutor jobs = JobExecutor.fromEnvironment(environment, Clock.systemUTC());
    RunnerConnection connection = new RunnerConnection(settings, jobs, jobs::announcedSources, Version.current(),
        Backoff.standard(new SecureRandom()), RunnerConnection.DEFAULT_REFUSED_DELAY, new RunnerConnection.Listener() {});
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      connection.stop();
      jobs.close();
    }, "lensgate-runner-shutdown"));
    spec.commandLine().getOut().println("runner " + settings.runnerId() + " dialing " + settings.gatewayUrl());
    spec.commandLine().getOut().flush();
    connection.start();
    connection.awaitStop();
    return 0;
  }

  @Command(name = "doctor", mixinStandardHelpOptions = true,
      description = "Check settings, gateway reachability and TLS (prints the gateway's SPKI pin) and each runner-local source.")
  static final class Doctor implements Callable<Integer> {
    private final Map<String, String> environment;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options options = new Options();

    Doctor() {
      this(System.getenv());
    }

    Doctor(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
      boolean ok = new RunnerDoctor(spec.commandLine().getOut())
          .check(() -> options.settings(environment), LocalSources.fromEnvironment(environment));
      return ok ? 0 : 1;
    }
  }
}
