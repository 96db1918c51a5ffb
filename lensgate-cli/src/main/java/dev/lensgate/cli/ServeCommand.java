package dev.lensgate.cli;

import dev.lensgate.server.index.GraphScorers;
import dev.lensgate.server.Gateway;
import dev.lensgate.server.GatewaySettings;
import dev.lensgate.server.http.HttpSettings;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.PushResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lensgate serve}: runs the gateway until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Runs the gateway. The metadata store is embedded under --data-dir unless LENSGATE_DB_URL names PostgreSQL.")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", description = "Config to validate and activate on --env before serving (default: lensgate.yaml if present).")
  Path config;

  @Option(names = "--env", defaultValue = "development", description = "Environment the --config is pushed to (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "${env:LENSGATE_HOST:-127.0.0.1}",
      description = "Bind address (default: ${DEFAULT-VALUE}; 0.0.0.0 to listen on every interface).")
  String host;

  @Option(names = "--data-dir", defaultValue = ".lensgate", description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--tls-keystore", description = "PKCS#12 keystore: serve HTTPS (TLS 1.2+, 1.3 preferred).")
  Path tlsKeystore;

  @Option(names = "--tls-password-file", description = "File holding the keystore password (never pass it in argv).")
  Path tlsPasswordFile;

  @Option(names = "--http-redirect-port", defaultValue = "-1", description = "With TLS: plain port that redirects to HTTPS.")
  int httpRedirectPort;

  @Option(names = "--rate-limit", defaultValue = "100", description = "Requests per second per key; 0 turns limiting off (default: ${DEFAULT-VALUE}).")
  long rateLimit;

  @Option(names = "--rate-burst", defaultValue = "200", description = "Burst per key (default: ${DEFAULT-VALUE}).")
  long rateBurst;

  @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Request body limit (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Override
  public Integer call() throws Exception {
    HttpSettings http = new HttpSettings(host, port, maxBodyBytes, Optional.empty());
    if (tlsKeystore != null) {
      if (tlsPasswordFile == null) {
        throw new CliFailure("--tls-keystore needs --tls-password-file");
      }
      char[] password = Files.readString(tlsPasswordFile, StandardCharsets.UTF_8).strip().toCharArray();
      http = http.withTls(new HttpSettings.Tls(tlsKeystore, password, httpRedirectPort));
    }
    GatewaySettings settings = GatewaySettings.defaults(dataDir, http, System.getenv(), Version.current())
        .withRateLimit(rateLimit, rateBurst);
    Path configFile = config != null ? config : (Files.exists(Path.of("lensgate.yaml")) ? Path.of("lensgate.yaml") : null);
    ConfigFile checked = configFile == null ? null : validate(configFile);

    Gateway gateway = Gateway.start(settings, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "lensgate-shutdown"));
    if (checked != null) {
      activate(gateway, checked);
    }
    Output.note(spec, String.format("lensgate: serving on %s://%s:%d (data dir %s)",
        http.tls().isPresent() ? "https" : "http", host, gateway.port(), dataDir.toAbsolutePath()));
    if (!GraphScorers.simdAvailable()) {
      Output.note(spec, "lensgate: " + GraphScorers.describe());
    }
    stopped.await();
    return 0;
  }

  /** Reads the config once: what is activated is byte for byte what was validated here. */
  private ConfigFile validate(Path file) {
    ConfigFile config = ConfigFile.read(file);
    config.printProblems(spec.commandLine().getErr());
    if (!config.result().ok()) {
      throw new CliFailure(file + " has " + config.result().errors().size() + " error(s); nothing was served");
    }
    return config;
  }

  private void activate(Gateway gateway, ConfigFile config) {
    String orgId = gateway.store().defaultOrg().id();
    Environment environment = gateway.environments().findBySlug(orgId, env)
        .orElseThrow(() -> new CliFailure("no environment named " + env + "; create it with `lensgate envs create " + env + "`"));
    PushResult pushed = gateway.configs().push(environment.id(), config.text());
    gateway.refreshConfigs();
    for (String source : pushed.wipedCredentials()) {
      Output.note(spec, "lensgate: wiped stored credentials of source " + source + " (runner-local)");
    }
    Output.note(spec, String.format("lensgate: %s %s on %s (sha256:%s)", config.name(),
        pushed.changed() ? "activated" : "unchanged", env, pushed.hash().substring(0, Math.min(12, pushed.hash().length()))));
  }
}
