package dev.lensgate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket clients of {@link StreamSocketsBenchmark} in their own JVM, so they do not share the
 * gateway's heap, GC and JIT. Started by the benchmark; arguments {@code URL TOKENS_FILE PER_SOCKET
 * STEP THREADS}; the API key comes in the environment ({@value #KEY_ENV}), the user tokens in a file
 * of {@code lo<TAB>token} lines (never on the command line). Protocol on stdin/stdout: prints
 * {@code READY} after subscribing; {@code WINDOW start end} (nanoTime) sets the measured window;
 * {@code AWAIT expected} waits for the events and prints one {@link ClientSummary} line, then exits.
 */
public final class StreamClientsProcess {
  static final String KEY_ENV = "LENSGATE_BENCH_KEY";

  private StreamClientsProcess() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    List<SocketClients.Spec> specs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      specs.add(new SocketClients.Spec(line.substring(tab + 1), Integer.parseInt(line.substring(0, tab))));
    }
    int perSocket = Integer.parseInt(args[2]);
    int step = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    try (SocketClients clients = new SocketClients(threads)) {
      clients.open(url, System.getenv(KEY_ENV), specs, perSocket, step);
      System.out.println("READY");
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      long cpuStart = ClientSummary.processCpuNanos();
      String line;
      while ((line = in.readLine()) != null) {
        String[] p = line.trim().split(" ");
        if ("WINDOW".equals(p[0])) {
          cpuStart = ClientSummary.processCpuNanos();
          clients.window(Long.parseLong(p[1]), Long.parseLong(p[2]));
        } else if ("AWAIT".equals(p[0])) {
          long cpu = ClientSummary.processCpuNanos() - cpuStart;
          clients.await(Long.parseLong(p[1]), Duration.ofSeconds(10), Duration.ofSeconds(90));
          System.out.println(ClientSummary.of(clients.result(), cpu).line());
          System.out.flush();
          return;
        }
      }
    }
  }
}
