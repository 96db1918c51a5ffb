package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.lensgate.runner.SpkiPin;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.testkit.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPKI pinning against the real gateway over TLS: a runner process whose {@code --pin} names
 * another key (its {@code --ca-file} does trust the gateway's certificate, so only the pin differs)
 * fails in the TLS handshake, before the upgrade request that carries its token is written. The
 * gateway — every log event captured (its own at TRACE, Jetty's at DEBUG), its request log, its
 * runner sessions — shows no request, no upgrade, no token. The same runner with the right pin
 * connects, and the same log capture then does hold its request line and token (Jetty logs request
 * URIs at DEBUG), which shows the scan would have seen a request. The request log is checked too,
 * though it records no WebSocket upgrade even when one succeeds.
 */
class RunnerPinningTest {
  @TempDir Path dir;
  private E2eGateway gw;
  private RunnerProcess runner;

  @AfterEach
  void tearDown() {
    if (runner != null) {
      runner.close();
    }
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void wrongPin_refusedInTheHandshake_gatewaySawNoRequestNoUpgradeNoToken_rightPinConnects() throws Exception {
    E2eTls tls = E2eTls.create(dir.resolve("tls"), "gateway");
    E2eTls other = E2eTls.create(dir.resolve("tls"), "other");
    String token;
    String runnerId;
    List<String> lines;
    List<String> requestLog;
    String wrongOutput;
    try (LogCapture logs = new LogCapture(Map.of("dev.lensgate", Level.TRACE, "org.eclipse.jetty", Level.DEBUG,
        "io.javalin", Level.DEBUG))) {
      gw = E2eGateway.startTls(dir.resolve("data"), tls.keystore, E2eTls.PASSWORD, Map.of());
      CreatedRunner edge = gw.createRunner("edge-pin");
      token = edge.token().revealUtf8();
      runnerId = edge.info().id();
      int before = logs.lines().size();
      runner = RunnerProcess.start("wrong-pin", dir.resolve("runner-logs"), env(token),
          List.of("--ca-file", tls.pemFile.toString(), "--pin", SpkiPin.of(other.certificate).toString()));
      // Two failed dials: the first attempt and one retry after the backoff.
      RunnerProcess r = runner;
      Waits.awaitTrue(Duration.ofSeconds(30), () -> r.output().lines().filter(l -> l.startsWith("EVENT disconnected")).count() >= 2
          || !r.isAlive(), "two refused dials");
      assertThat(gw.gateway().runnerSessions().size()).as("sessions registered").isZero();
      runner.close();
      wrongOutput = runner.output();
      runner = null;
      gw.gateway().flushRequestLog();
      requestLog = gw.tableRows("REQUEST_LOG");
      lines = logs.lines().subList(before, logs.lines().size());
    }
    System.out.println("wrong pin: runner printed\n" + wrongOutput);

    // The runner: refused in the handshake, never said anything to the gateway.
    // CertificateException: the trust check in the handshake (the CA file trusts the certificate,
    // as the right-pin run shows, so it is the pin that refused it).
    assertThat(wrongOutput).contains("cannot reach the gateway", "(CertificateException)").doesNotContain("EVENT hello")
        .doesNotContain("connected to").doesNotContain(token).doesNotContain("token=");
    // The gateway: a TLS handshake reached Jetty (the scan below is over real traffic) ...
    assertThat(lines).as("gateway log lines during the wrong-pin dials").isNotEmpty()
        .anyMatch(l -> l.startsWith("org.eclipse.jetty") && l.toLowerCase(java.util.Locale.ROOT).contains("ssl"));
    // ... and nothing beyond it: no request line, no upgrade, no token, no session.
    assertThat(lines).noneMatch(l -> l.contains(token)).noneMatch(l -> l.contains("token="))
        .noneMatch(l -> l.contains("rk_")).noneMatch(l -> l.contains("/v1/runner/connect"))
        .noneMatch(l -> l.contains("Upgrade")).noneMatch(l -> l.contains(runnerId));
    assertThat(requestLog).as("request_log rows").isEmpty();

    // The right pin: the same runner connects (a session, a hello, and the gateway logs it).
    try (LogCapture logs = new LogCapture(Map.of("dev.lensgate", Level.INFO, "org.eclipse.jetty", Level.DEBUG))) {
      runner = RunnerProcess.start("right-pin", dir.resolve("runner-logs"), env(token),
          List.of("--ca-file", tls.pemFile.toString(), "--pin", SpkiPin.of(tls.certificate).toString()));
      RunnerProcess r = runner;
      Waits.awaitTrue(Duration.ofSeconds(30), () -> gw.gateway().runnerSessions().openSessions(runnerId) == 1 || !r.isAlive(),
          "the right pin connects");
      assertThat(gw.gateway().runnerSessions().openSessions(runnerId)).as("%s printed:%n%s", r, r.output()).isEqualTo(1);
      Waits.awaitTrue(Duration.ofSeconds(10), () -> r.hellos() == 1, "hello");
      assertThat(logs.lines()).anyMatch(l -> l.contains("runner " + runnerId) && l.contains("connected"));
      // The control for the scan above: once a request is sent, the same capture holds its request
      // line and the token (Jetty logs request URIs at DEBUG), so their absence above means something.
      assertThat(logs.lines()).as("Jetty DEBUG lines of the right-pin upgrade")
          .anyMatch(l -> l.contains("/v1/runner/connect")).anyMatch(l -> l.contains(token));
    }
  }

  private Map<String, String> env(String token) {
    return Map.of("LENSGATE_RUNNER_ID", "edge-pin", "LENSGATE_RUNNER_TOKEN", token,
        "LENSGATE_GATEWAY_URL", "wss://127.0.0.1:" + gw.port());
  }
}
