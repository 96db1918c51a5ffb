package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Starts {@code lensgate demo} in-process, then runs every curl line it printed — exactly as
 * printed, through bash — and checks each printed promise ("HTTP 200, 5 rows, every orgId = acme").
 * The only substitution: {@code ./lensgate} becomes a java command on this test's classpath.
 */
class DemoCurlLinesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXPECT = Pattern.compile(
      "HTTP (\\d{3})(?: ([a-z_]+))?(?:, (\\d+) (rows|results))?(?:, every orgId = ([a-z]+))?");
  private static final Pattern EXPORT = Pattern.compile("^\\s*export (\\w+)=(\\S+)");

  record Step(String title, String expect, List<String> lines) {}

  @Test
  void demo_printedCurlLines_giveThePrintedResults(@TempDir Path dataDir) throws Exception {
    DemoCommand demo = new DemoCommand();
    StringWriter printed = new StringWriter();
    CommandLine cli = new CommandLine(demo);
    cli.setOut(new PrintWriter(printed, true));
    Thread runner = new Thread(() -> cli.execute("--port", "0", "--data-dir", dataDir.toString()), "demo-under-test");
    runner.start();
    try {
      // The last printed step; the demo first builds the products search index (model load + 360 rows).
      String output = awaitOutput(printed, "light for reading", Duration.ofSeconds(180));
      Map<String, String> env = exports(output);
      assertThat(env).containsKeys("PK", "SK", "LENSGATE_URL");
      assertThat(env.get("PK")).startsWith("pk_development_");
      assertThat(env.get("SK")).startsWith("sk_development_");

      List<Step> steps = steps(output);
      assertThat(steps).hasSize(8);
      assertThat(steps).filteredOn(st -> st.lines().stream().anyMatch(l -> l.contains("/v1/search/products"))).hasSize(2);
      // Like one terminal session: variables assigned by earlier steps (ALICE=..., BOB=...) stay set.
      List<String> assignments = new ArrayList<>();
      for (Step step : steps) {
        List<String> script = new ArrayList<>(assignments);
        script.addAll(step.lines());
        check(step, run(script, env));
        step.lines().stream().filter(l -> l.matches("^[A-Z]+=\\$\\(.*")).forEach(assignments::add);
      }
    } finally {
      demo.stop.countDown();
      runner.join(10_000);
    }
    assertThat(runner.isAlive()).as("demo stops when told to").isFalse();
  }

  private static void check(Step step, String output) throws Exception {
    Matcher m = EXPECT.matcher(step.expect());
    assertThat(m.matches()).as("expectation format: %s", step.expect()).isTrue();
    String[] parts = output.strip().split("\n");
    String statusLine = parts[parts.length - 1];
    String body = String.join("\n", java.util.Arrays.copyOf(parts, parts.length - 1));
    assertThat(statusLine).as(step.title()).isEqualTo("HTTP " + m.group(1));
    JsonNode json = JSON.readTree(body);
    if (m.group(2) != null) {
      assertThat(json.at("/error/code").asText()).as(step.title()).isEqualTo(m.group(2));
    }
    if (m.group(3) != null) {
      assertThat(json.get(m.group(4))).as(step.title()).hasSize(Integer.parseInt(m.group(3)));
    }
    if (m.group(5) != null) {
      for (JsonNode row : json.get(m.group(4))) {
        // query rows carry the fields; search results carry them under metadata
        JsonNode fields = row.has("metadata") ? row.get("metadata") : row;
        assertThat(fields.get("orgId").asText()).as(step.title()).isEqualTo(m.group(5));
      }
    }
  }

  private static String run(List<String> lines, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String lensgate = java + " -cp '" + System.getProperty("java.class.path") + "' dev.lensgate.cli.Main";
    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    for (String line : lines) {
      script.append(line.replace("./lensgate ", lensgate + " ")).append('\n');
    }
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString());
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("script exit for:%n%s", script).isZero();
    return out;
  }

  private static List<Step> steps(String output) {
    List<Step> steps = new ArrayList<>();
    String[] lines = output.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("# expect: ")) {
        String title = lines[i - 1].strip();
        List<String> commands = new ArrayList<>();
        int j = i + 1;
        while (j < lines.length && !lines[j].isBlank()) {
          commands.add(lines[j].strip());
          j++;
        }
        steps.add(new Step(title, line.substring("# expect: ".length()), commands));
      }
    }
    return steps;
  }

  private static Map<String, String> exports(String output) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = EXPORT.matcher(line);
      if (m.find()) {
        env.put(m.group(1), m.group(2));
      }
    }
    return env;
  }

  private static String awaitOutput(StringWriter out, String marker, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String s = out.toString();
      if (s.contains(marker) && s.substring(s.indexOf(marker)).contains("\n\n")) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("demo did not print its walkthrough in time; got:\n" + out);
  }
}
