package dev.lensgate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate validate [FILE]}: every error and warning with file, line, column and field
 * path, then a summary line. Exit 1 when there is any error (or the file cannot be read).
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = {"Check a config file without storing it.",
    "Prints 'error: FILE:LINE:COL: PATH: MESSAGE' and 'warning: ...' lines, then a summary."})
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "lensgate.yaml",
      description = "The config (default: ${DEFAULT-VALUE}).")
  Path file;

  @Override
  public Integer call() {
    ConfigFile config = ConfigFile.read(file);
    PrintWriter out = spec.commandLine().getOut();
    config.printProblems(out);
    out.println(config.summary());
    out.flush();
    return config.result().ok() ? 0 : 1;
  }
}
