package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.testkit.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerDoctorTest {
  private static final String TOKEN = "rk_acme_SENTINELtoken0123456789abcdef";

  @TempDir static Path dir;
  static TestTls tls;

  @BeforeAll
  static void keys() throws Exception {
    tls = TestTls.create(dir, "gw");
  }

  private static String run(RunnerSettings.Builder settings, Map<String, String> env, boolean[] ok) {
    StringWriter out = new StringWriter();
    ok[0] = new RunnerDoctor(new PrintWriter(out)).check(settings::build, LocalSources.fromEnvironment(env));
    return out.toString();
  }

  private static RunnerSettings.Builder settings(int port) {
    return RunnerSettings.builder().runnerId("edge-1").token(RunnerToken.of(TOKEN)).gatewayUrl("wss://127.0.0.1:" + port);
  }

  @Test
  void check_trustedPinnedGatewayAndWorkingSource_allPassAndPrintsPin() throws Exception {
    try (TestDatabase db = TestDatabase.h2(); TlsEchoServer server = new TlsEchoServer(tls)) {
      boolean[] ok = new boolean[1];
      String out = run(settings(server.port()).extraCaFile(tls.pemFile).pin(SpkiPin.of(tls.certificate)),
          Map.of("LENSGATE_SOURCE_MAIN_URL", db.jdbcUrl(), "LENSGATE_SOURCE_MAIN_USER", db.user()), ok);
      assertThat(out).contains("PASS settings", "PASS gateway reachable", "PASS gateway TLS", "PASS source main")
          .contains("INFO gateway SPKI pin: " + SpkiPin.of(tls.certificate)).doesNotContain("FAIL").doesNotContain(TOKEN);
      assertThat(ok[0]).isTrue();
    }
  }

  @Test
  void check_untrustedGateway_failsButStillPrintsPin() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(tls)) {
      boolean[] ok = new boolean[1];
      String out = run(settings(server.port()), Map.of(), ok);
      assertThat(out).contains("FAIL gateway TLS").contains("INFO gateway SPKI pin: " + SpkiPin.of(tls.certificate));
      assertThat(ok[0]).isFalse();
    }
  }

  @Test
  void check_wrongPin_fails() throws Exception {
    TestTls other = TestTls.create(dir, "other-" + System.nanoTime());
    try (TlsEchoServer server = new TlsEchoServer(tls)) {
      boolean[] ok = new boolean[1];
      String out = run(settings(server.port()).extraCaFile(tls.pemFile).pin(SpkiPin.of(other.certificate)), Map.of(), ok);
      assertThat(out).contains("FAIL gateway TLS");
      assertThat(ok[0]).isFalse();
    }
  }

  @Test
  void check_badSettingsUnreachableGatewayAndDeadSource_failLines() throws Exception {
    boolean[] ok = new boolean[1];
    String out = run(RunnerSettings.builder().gatewayUrl("wss://127.0.0.1:1"), Map.of(), ok);
    assertThat(out).contains("FAIL settings: LENSGATE_RUNNER_ID");
    assertThat(ok[0]).isFalse();

    String out2 = run(settings(1), Map.of("LENSGATE_SOURCE_DOWN_URL", "jdbc:postgresql://127.0.0.1:1/x",
        "LENSGATE_SOURCE_DOWN_PASSWORD", "SENTINEL-PW"), ok);
    assertThat(out2).contains("FAIL gateway not reachable", "FAIL source down").doesNotContain("SENTINEL-PW");
    assertThat(ok[0]).isFalse();
  }
}
