package dev.lensgate.cli;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.config.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A config file read once and validated, shared by {@code validate} and {@code push} so what is
 * pushed is byte for byte what was validated.
 */
record ConfigFile(String name, String text, ConfigResult result) {
  /** Bytes read at most; the loader refuses more than 1 Mi characters anyway. */
  private static final long MAX_FILE_BYTES = 4L * ConfigLoader.MAX_CONFIG_CHARS;

  /**
   * Reads and validates {@code file}.
   *
   * @throws CliFailure if the file is missing or unreadable (problems inside it are in the result)
   */
  static ConfigFile read(Path file) {
    String name = file.toString();
    if (!Files.exists(file)) {
      throw new CliFailure(name + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new CliFailure(name + ": not a regular file");
    }
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new CliFailure(name + ": larger than " + ConfigLoader.MAX_CONFIG_CHARS + " characters");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new CliFailure(name + ": not valid UTF-8");
    } catch (AccessDeniedException e) {
      throw new CliFailure(name + ": permission denied");
    } catch (IOException e) {
      throw new CliFailure(name + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
    return new ConfigFile(name, text, ConfigLoader.parse(text, name));
  }

  /** {@code error: …} lines, then {@code warning: …} lines, each in file order. */
  void printProblems(PrintWriter w) {
    for (Problem p : result.errors()) {
      w.println("error: " + p);
    }
    for (Problem p : result.warnings()) {
      w.println("warning: " + p);
    }
    w.flush();
  }

  /** {@code lensgate.yaml: OK (3 lenses, 1 source, 2 warnings)} or {@code lensgate.yaml: 2 errors, 1 warning}. */
  String summary() {
    int warnings = result.warnings().size();
    if (result.config().isEmpty()) {
      return name + ": " + count(result.errors().size(), "error", "errors") + ", "
          + count(warnings, "warning", "warnings");
    }
    LensgateConfig config = result.config().get();
    return name + ": OK (" + count(config.lenses().size(), "lens", "lenses") + ", "
        + count(config.sources().size(), "source", "sources") + ", " + count(warnings, "warning", "warnings") + ")";
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
