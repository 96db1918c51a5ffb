package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerSettingsTest {
  private static final String TOKEN = "rk_acme_SENTINELtoken0123456789abcdefABCDEF";
  private static final String PIN = "sha256/" + "A".repeat(43) + "=";

  private static Map<String, String> env(String url) {
    Map<String, String> env = new HashMap<>();
    env.put(RunnerSettings.ENV_ID, "edge-1");
    env.put(RunnerSettings.ENV_TOKEN, TOKEN);
    env.put(RunnerSettings.ENV_GATEWAY_URL, url);
    return env;
  }

  @Test
  void fromEnvironment_complete_buildsSettings() {
    Map<String, String> env = env("wss://gw.example.com:8443");
    env.put(RunnerSettings.ENV_PIN, PIN);
    RunnerSettings s = RunnerSettings.fromEnvironment(env).build();
    assertThat(s.runnerId()).isEqualTo("edge-1");
    assertThat(s.token().reveal()).isEqualTo(TOKEN);
    assertThat(s.gatewayUrl()).hasToString("wss://gw.example.com:8443");
    assertThat(s.pin()).map(SpkiPin::toString).contains(PIN);
    assertThat(s.usesTls()).isTrue();
    assertThat(s.heartbeatInterval()).isEqualTo(RunnerSettings.DEFAULT_HEARTBEAT_INTERVAL);
    assertThat(s.connectUri()).hasToString("wss://gw.example.com:8443/v1/runner/connect");
    assertThat(s.authorizationHeader()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void toString_neverShowsTheToken() {
    RunnerSettings s = RunnerSettings.fromEnvironment(env("wss://gw.example.com")).build();
    assertThat(s.toString()).doesNotContain(TOKEN).doesNotContain("SENTINEL");
    assertThat(s.token().toString()).doesNotContain("SENTINEL");
  }

  @Test
  void build_missingPieces_nameTheVariable() {
    for (String missing : new String[] {RunnerSettings.ENV_ID, RunnerSettings.ENV_TOKEN, RunnerSettings.ENV_GATEWAY_URL}) {
      Map<String, String> env = env("wss://gw.example.com");
      env.remove(missing);
      assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
    }
  }

  @Test
  void build_plainWs_refusedWithoutFlagEvenOnLoopback() {
    assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env("ws://127.0.0.1:8080")).build())
        .hasMessageContaining("ws:// is refused");
  }

  @Test
  void build_plainWsWithFlag_onlyForLoopback() {
    for (String ok : new String[] {"ws://127.0.0.1:8080", "ws://localhost:8080", "ws://[::1]:8080", "ws://127.9.9.9"}) {
      assertThat(RunnerSettings.fromEnvironment(env(ok)).allowInsecureLoopback(true).build().usesTls()).isFalse();
    }
    for (String bad : new String[] {"ws://10.0.0.1:8080", "ws://gw.example.com", "ws://localhost.evil.com", "ws://127.0.0.1.nip.io"}) {
      assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env(bad)).allowInsecureLoopback(true).build())
          .as(bad).hasMessageContaining("ws:// is refused");
    }
  }

  @Test
  void build_otherSchemesOrShapes_refused() {
    for (String bad : new String[] {"https://gw.example.com", "gw.example.com", "wss://user:pw@gw.example.com",
        "wss://gw.example.com/?token=x", "wss://gw.example.com/other/path", "wss://", "::"}) {
      assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env(bad)).build()).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void build_badRunnerIdOrToken_refusedWithoutEchoingToken() {
    Map<String, String> env = env("wss://gw.example.com");
    env.put(RunnerSettings.ENV_ID, "edge 1; drop");
    assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env).build()).hasMessageContaining(RunnerSettings.ENV_ID);
    Map<String, String> env2 = env("wss://gw.example.com");
    env2.put(RunnerSettings.ENV_TOKEN, "sk_live_SENTINELsecret0123456789");
    assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env2)).isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SENTINEL"));
  }

  @Test
  void tokenFile_firstLineTrimmed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "  " + TOKEN + "\n# ignored\n");
    Map<String, String> env = env("wss://gw.example.com");
    env.remove(RunnerSettings.ENV_TOKEN);
    RunnerSettings s = RunnerSettings.fromEnvironment(env).tokenFile(file).build();
    assertThat(s.token().reveal()).isEqualTo(TOKEN);
  }

  @Test
  void tokenFile_missingOrHuge_refused(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> RunnerSettings.builder().tokenFile(dir.resolve("nope")))
        .hasMessageContaining("token file");
    Path huge = dir.resolve("huge");
    Files.writeString(huge, TOKEN + "x".repeat(10_000));
    assertThatThrownBy(() -> RunnerSettings.builder().tokenFile(huge)).hasMessageContaining("too large");
  }

  @Test
  void pinFromEnvironment_malformed_refused() {
    Map<String, String> env = env("wss://gw.example.com");
    env.put(RunnerSettings.ENV_PIN, "sha256/AAAA");
    assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env)).hasMessageContaining("32 bytes");
  }

  @Test
  void heartbeatInterval_outOfRange_refused() {
    assertThatThrownBy(() -> RunnerSettings.builder().heartbeatInterval(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RunnerSettings.builder().heartbeatInterval(java.time.Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void caFile_unreadable_refused(@TempDir Path dir) {
    assertThatThrownBy(() -> RunnerSettings.fromEnvironment(env("wss://gw.example.com"))
        .extraCaFile(dir.resolve("ca.pem")).build()).hasMessageContaining("CA file");
  }
}
