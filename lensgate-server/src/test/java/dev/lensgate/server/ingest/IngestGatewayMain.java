package dev.lensgate.server.ingest;

import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.sync.FakeEmbedder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A gateway in its own JVM for {@link IngestCrashTest}: data dir as the only argument, metadata
 * store and master key from the process environment, the deterministic fake embedder. Prints
 * {@code lg-port N} once listening; a {@code quit} line on stdin closes it cleanly (the test also
 * kills it with SIGKILL).
 */
public final class IngestGatewayMain {
  private IngestGatewayMain() {}

  public static void main(String[] args) throws Exception {
    FakeEmbedder embedder = new FakeEmbedder("fake:8:v1");
    GatewaySettings settings = new GatewaySettings(Path.of(args[0]), HttpSettings.plain("127.0.0.1", 0), System.getenv(),
        0, 0, Duration.ofMillis(200), "crash-test");
    try (Gateway gateway = Gateway.start(settings, Clock.systemUTC(), Optional.of((e, l) -> embedder))) {
      System.out.println("lg-port " + gateway.port());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !"quit".equals(line)) {
        // wait
      }
    }
    System.exit(0);
  }
}
