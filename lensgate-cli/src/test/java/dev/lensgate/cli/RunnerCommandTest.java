package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.testkit.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunnerCommandTest {
  private static final String TOKEN = "rk_acme_SENTINELtoken0123456789abcdef";

  private record Run(int exit, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        if (cls == RunnerCommand.class) {
          return cls.cast(new RunnerCommand(env));
        }
        if (cls == RunnerCommand.Doctor.class) {
          return cls.cast(new RunnerCommand.Doctor(env));
        }
        return CommandLine.defaultFactory().create(cls);
      }
    });
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void doctor_workingSourceButGatewayDown_failLineAndExit1() {
    try (TestDatabase db = TestDatabase.h2()) {
      Run r = run(Map.of("LENSGATE_RUNNER_ID", "edge-1", "LENSGATE_RUNNER_TOKEN", TOKEN,
          "LENSGATE_GATEWAY_URL", "wss://127.0.0.1:1", "LENSGATE_SOURCE_MAIN_URL", db.jdbcUrl(),
          "LENSGATE_SOURCE_MAIN_USER", db.user()), "runner", "doctor");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.out()).contains("PASS settings", "FAIL gateway not reachable", "PASS source main").doesNotContain(TOKEN);
    }
  }

  @Test
  void doctor_missingSettings_failsNamingTheVariable() {
    Run r = run(Map.of(), "runner", "doctor");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL settings: LENSGATE_RUNNER_ID");
  }

  @Test
  void runner_tokenAsArgument_isNotAnOption() {
    Run r = run(Map.of(), "runner", "--token", TOKEN);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option");
  }

  @Test
  void runner_plainWsWithoutFlag_refusedAtStart() {
    Run r = run(Map.of("LENSGATE_RUNNER_ID", "edge-1", "LENSGATE_RUNNER_TOKEN", TOKEN,
        "LENSGATE_GATEWAY_URL", "ws://127.0.0.1:8080"), "runner");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("ws:// is refused").doesNotContain(TOKEN);
  }

  @Test
  void runner_badPinOption_refusedAtStart() {
    Run r = run(Map.of("LENSGATE_RUNNER_ID", "edge-1", "LENSGATE_RUNNER_TOKEN", TOKEN,
        "LENSGATE_GATEWAY_URL", "wss://127.0.0.1:8443"), "runner", "--pin", "sha256/nope");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("pin");
  }
}
