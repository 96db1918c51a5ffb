package dev.lensgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  static final String STRICT = String.join("\n",
      "stack: lensgate/v1",
      "sources:",
      "  demo: { type: h2, url: \"jdbc:h2:mem:demo\" }",
      "lenses:",
      "  notes:",
      "    source: demo",
      "    table: notes",
      "    primaryKey: id",
      "    fields:",
      "      id: { type: integer }",
      "      body: { type: string, searchable: true }",
      "defaults:",
      "  grants: strict",
      "");

  /** Same lens, but search/similar/subscribe are implicitly public: one warning each. */
  static final String IMPLICIT_PUBLIC = STRICT.replace("defaults:\n  grants: strict\n", "");

  static final String BROKEN = String.join("\n",
      "stack: lensgate/v1",
      "sources:",
      "  demo: { type: oracle, url: \"jdbc:h2:mem:demo\" }",
      "lenses:",
      "  notes:",
      "    source: demoo",
      "    table: notes",
      "    primaryKey: id",
      "    fields:",
      "      id: { type: integr }",
      "      body: { type: string, searchable: true }",
      "");

  @TempDir
  Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void validate_cleanConfig_exits0WithOkSummary() throws Exception {
    Path file = write("lensgate.yaml", STRICT);

    CliHarness.Result r = CliHarness.embedded(dir).run("validate", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).containsExactly(file + ": OK (1 lens, 1 source, 0 warnings)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void validate_implicitPublicGrants_printsWarningsButSucceeds() throws Exception {
    Path file = write("lensgate.yaml", IMPLICIT_PUBLIC);

    CliHarness.Result r = CliHarness.embedded(dir).run("validate", file.toString());

    assertThat(r.exit()).isZero();
    List<String> warnings = r.outLines().stream().filter(l -> l.startsWith("warning: ")).collect(Collectors.toList());
    assertThat(warnings).isNotEmpty().allMatch(l -> l.matches("warning: " + java.util.regex.Pattern.quote(file.toString())
        + ":\\d+:\\d+: .+"));
    assertThat(r.outLines().get(r.outLines().size() - 1))
        .isEqualTo(file + ": OK (1 lens, 1 source, " + warnings.size() + (warnings.size() == 1 ? " warning)" : " warnings)"));
  }

  @Test
  void validate_brokenConfig_reportsEveryErrorWithItsLineAndExits1() throws Exception {
    Path file = write("broken.yaml", BROKEN);

    CliHarness.Result r = CliHarness.embedded(dir).run("validate", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    List<String> errors = r.outLines().stream().filter(l -> l.startsWith("error: ")).collect(Collectors.toList());
    assertThat(errors.size()).isGreaterThanOrEqualTo(3);
    String prefix = "error: " + file + ":";
    assertThat(errors).allMatch(l -> l.startsWith(prefix));
    assertThat(errors).anyMatch(l -> l.startsWith(prefix + "3:"));
    assertThat(errors).anyMatch(l -> l.startsWith(prefix + "6:"));
    assertThat(errors).anyMatch(l -> l.startsWith(prefix + "10:"));
    assertThat(r.outLines().get(r.outLines().size() - 1)).startsWith(file + ": " + errors.size() + " errors, ");
  }

  @Test
  void validate_invalidYaml_pointsAtTheSyntaxError() throws Exception {
    Path file = write("bad.yaml", "stack: lensgate/v1\nsources: [\n");

    CliHarness.Result r = CliHarness.embedded(dir).run("validate", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("error: " + file + ":").contains("invalid YAML");
  }

  @Test
  void validate_missingFile_exits1WithClearMessage() {
    Path file = dir.resolve("nope.yaml");

    CliHarness.Result r = CliHarness.embedded(dir).run("validate", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains(file + ": no such file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void validate_defaultFileName_isLensgateYaml() {
    // The test's working directory is the module directory, which has no lensgate.yaml.
    CliHarness.Result r = CliHarness.embedded(dir).run("validate");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("lensgate.yaml: no such file");
  }

  @Test
  void validate_directoryOrTooManyArguments_fail() throws Exception {
    assertThat(CliHarness.embedded(dir).run("validate", dir.toString()).exit()).isEqualTo(1);
    assertThat(CliHarness.embedded(dir).run("validate", "a.yaml", "b.yaml").exit()).isEqualTo(2);
  }
}
