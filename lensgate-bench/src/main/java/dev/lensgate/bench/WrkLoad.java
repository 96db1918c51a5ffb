package dev.lensgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Drives the gateway with {@code wrk} (a separate native process) instead of the JDK HttpClient,
 * whose own cost per request (~240 µs) hid the gateway's. One wrk thread per connection, bounded
 * duration, 127.0.0.1 only; the shipped {@code wrk/query.lua} builds each request with a random id of
 * the token's organization and prints one {@code LENSGATE-WRK} line that is parsed here.
 *
 * <p>The key and the token go to wrk through its environment, never its argv (process lists are
 * world-readable).
 */
final class WrkLoad {
  static final String INSTALL_HINT = "apt-get update && apt-get install -y wrk";
  private static final String SCRIPT_RESOURCE = "/wrk/query.lua";
  private static final String MARKER = "LENSGATE-WRK ";
  /** wrk stops itself after its duration; this is only the guard against a hung process. */
  private static final Duration GRACE = Duration.ofSeconds(30);

  /** What to send: the path, the headers' values and the id space of the token's organization. */
  record Target(int port, String path, String authorization, Optional<String> userToken, long orgIndex, int orgs,
      int perOrg) {}

  private final String executable;
  private final Path script;
  private final Optional<Path> rawOutputDir;

  private WrkLoad(String executable, Path script, Optional<Path> rawOutputDir) {
    this.executable = executable;
    this.script = script;
    this.rawOutputDir = rawOutputDir;
  }

  /**
   * @param executable the wrk binary (name on PATH or a path)
   * @param workDir where the Lua script is written
   * @param rawOutputDir where wrk's own output is kept per run, if present
   */
  static WrkLoad prepare(String executable, Path workDir, Optional<Path> rawOutputDir) throws IOException {
    checkAvailable(executable);
    Path script = workDir.resolve("query.lua");
    try (InputStream in = WrkLoad.class.getResourceAsStream(SCRIPT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCRIPT_RESOURCE);
      }
      Files.write(script, in.readAllBytes());
    }
    return new WrkLoad(executable, script, rawOutputDir);
  }

  private static void checkAvailable(String executable) {
    try {
      Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new IllegalStateException("wrk not found (" + executable + "); install it with: " + INSTALL_HINT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking for wrk", e);
    }
  }

  /** Runs wrk with {@code connections} connections (one thread each) for {@code duration}. */
  LoadResult run(String name, Target target, int connections, Duration duration)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(executable,
        "-t", Integer.toString(connections), "-c", Integer.toString(connections),
        "-d", duration.toSeconds() + "s", "--timeout", "10s", "--latency",
        "-s", script.toString(), "http://127.0.0.1:" + target.port()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("LG_PATH", target.path());
    env.put("LG_AUTH", target.authorization());
    env.put("LG_USER_TOKEN", target.userToken().orElse(""));
    env.put("LG_ORG_INDEX", Long.toString(target.orgIndex()));
    env.put("LG_ORGS", Integer.toString(target.orgs()));
    env.put("LG_PER_ORG", Integer.toString(target.perOrg()));
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(duration.plus(GRACE).toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk did not finish: " + name);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (rawOutputDir.isPresent()) {
      Files.createDirectories(rawOutputDir.get());
      Files.writeString(rawOutputDir.get().resolve("wrk-" + name + "-c" + connections + ".txt"), text);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("wrk exited with " + p.exitValue() + ":\n" + text);
    }
    return parse(name, connections, text);
  }

  /** The {@code LENSGATE-WRK} line printed by the script's {@code done()}. */
  static LoadResult parse(String name, int connections, String wrkOutput) {
    String line = wrkOutput.lines().filter(l -> l.startsWith(MARKER)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + MARKER.trim() + " line in wrk output:\n" + wrkOutput));
    Map<String, String> kv = new HashMap<>();
    for (String part : line.substring(MARKER.length()).trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        kv.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    long requests = number(kv, "requests");
    long status = number(kv, "status");
    long socketErrors = number(kv, "connect") + number(kv, "read") + number(kv, "write") + number(kv, "timeout");
    return new LoadResult(name, connections, requests - status, status + socketErrors,
        number(kv, "duration_us") / 1e6, 1_000 * number(kv, "p50_us"), 1_000 * number(kv, "p90_us"),
        1_000 * number(kv, "p99_us"), 1_000 * number(kv, "max_us"));
  }

  private static long number(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw new IllegalStateException("wrk summary lacks " + key);
    }
    return (long) Double.parseDouble(v);
  }
}
