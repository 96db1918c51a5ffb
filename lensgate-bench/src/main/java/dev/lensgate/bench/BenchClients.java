package dev.lensgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's socket clients, either in a child JVM ({@link StreamClientsProcess}, the fair
 * figure: they do not share the gateway's heap and GC, only the machine's cores) or in the
 * benchmark's own JVM (competing with the gateway for its heap, GC and JIT too).
 */
interface BenchClients extends AutoCloseable {
  void window(long startNanos, long endNanos) throws IOException;

  /** Waits for {@code expected} event frames (or 10 s of silence) and reports. */
  ClientSummary await(long expected) throws IOException, InterruptedException;

  @Override
  void close();

  /** Opens the sockets and subscribes; returns once every subscribe frame has been sent. */
  static BenchClients start(boolean child, URI url, String apiKey, List<SocketClients.Spec> specs, int perSocket,
      int step, int threads, Path workDir) throws IOException, InterruptedException {
    if (!child) {
      SocketClients clients = new SocketClients(threads);
      clients.open(url, apiKey, specs, perSocket, step);
      return new InJvm(clients);
    }
    Path tokens = workDir.resolve("tokens.tsv");
    Files.createFile(tokens, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    List<String> lines = new ArrayList<>();
    for (SocketClients.Spec s : specs) {
      lines.add(s.lo() + "\t" + s.userToken());
    }
    Files.write(tokens, lines, StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xms256m", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        StreamClientsProcess.class.getName(), url.toString(), tokens.toString(), Integer.toString(perSocket),
        Integer.toString(step), Integer.toString(threads)).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put(StreamClientsProcess.KEY_ENV, apiKey);
    Process p = pb.start();
    ChildJvm c = new ChildJvm(p);
    c.expect("READY");
    return c;
  }

  /** Clients in this JVM. */
  final class InJvm implements BenchClients {
    private final SocketClients clients;
    private long cpuStart;

    InJvm(SocketClients clients) {
      this.clients = clients;
    }

    @Override
    public void window(long startNanos, long endNanos) {
      cpuStart = ClientSummary.processCpuNanos();
      clients.window(startNanos, endNanos);
    }

    @Override
    public ClientSummary await(long expected) throws InterruptedException {
      clients.await(expected, Duration.ofSeconds(10), Duration.ofSeconds(90));
      // Same process: the CPU is the gateway's too; reported as the process figure instead.
      return ClientSummary.of(clients.result(), 0);
    }

    @Override
    public void close() {
      clients.close();
    }
  }

  /** Clients in a child JVM, driven over its stdin/stdout. */
  final class ChildJvm implements BenchClients {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    ChildJvm(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Reads lines until one starts with {@code prefix}; the child's other output is echoed. */
    String expect(String prefix) throws IOException {
      // The child answers within its own timeouts (90 s await at most); a dead child ends the stream.
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(prefix)) {
          return line;
        }
        System.err.println("[clients] " + line);
      }
      throw new IOException("the client JVM exited (" + (process.isAlive() ? "alive" : "code " + process.exitValue())
          + ") before printing " + prefix);
    }

    @Override
    public void window(long startNanos, long endNanos) throws IOException {
      in.write("WINDOW " + startNanos + " " + endNanos + "\n");
      in.flush();
    }

    @Override
    public ClientSummary await(long expected) throws IOException {
      in.write("AWAIT " + expected + "\n");
      in.flush();
      return ClientSummary.parse(expect(ClientSummary.PREFIX));
    }

    @Override
    public void close() {
      try {
        in.close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroy();
        }
      } catch (IOException | InterruptedException e) {
        process.destroy();
      }
    }
  }
}
