package dev.lensgate.runner.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One runner in its own JVM ({@link RunnerMain}, same class path as the tests). Its environment is
 * this JVM's without any {@code LENSGATE_*} variable, plus {@code env} — the token travels there,
 * never in argv. Standard output and error go to a file (nothing to drain, nothing blocks), which
 * the test reads for the {@code EVENT} lines. A shutdown hook kills the process if the test JVM
 * exits without {@link #close()}; the process also exits by itself when its standard input ends.
 */
final class RunnerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path output;
  private final Thread killer;

  private RunnerProcess(String name, Process process, Path output, Thread killer) {
    this.name = name;
    this.process = process;
    this.output = output;
    this.killer = killer;
  }

  /**
   * @param outputDir where {@code <name>-<n>.log} is written
   * @param args runner options such as {@code --insecure-loopback} or {@code --pin sha256/...}
   */
  static RunnerProcess start(String name, Path outputDir, Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        RunnerMain.class.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LENSGATE_"));
    pb.environment().putAll(env);
    try {
      Files.createDirectories(outputDir);
      Path out = Files.createTempFile(outputDir, name + "-", ".log");
      pb.redirectErrorStream(true).redirectOutput(out.toFile());
      Process p = pb.start();
      Thread killer = new Thread(p::destroyForcibly, "kill-runner-" + name);
      Runtime.getRuntime().addShutdownHook(killer);
      return new RunnerProcess(name, p, out, killer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start runner process " + name, e);
    }
  }

  String name() { return name; }

  long pid() { return process.pid(); }

  boolean isAlive() { return process.isAlive(); }

  /** The command line as the OS shows it to every local user (empty when the OS does not say). */
  String commandLine() {
    return process.info().commandLine().orElse("");
  }

  /** Everything the process printed so far. */
  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many times the gateway said {@code hello} to this process. */
  long hellos() {
    return output().lines().filter(l -> l.startsWith("EVENT hello")).count();
  }

  /** SIGKILL, as a crash or an OOM kill would end it; waits (bounded) until it is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("runner process " + name + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook runs anyway.
    }
  }

  @Override
  public String toString() {
    return "runner process " + name + " (pid " + process.pid() + ", output " + output + ")";
  }
}
