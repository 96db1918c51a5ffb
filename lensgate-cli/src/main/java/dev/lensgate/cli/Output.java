package dev.lensgate.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's two streams: stdout for results (what {@code $(...)} captures), stderr for notes
 * meant for a human. Every line is flushed at once, so a result already produced (a minted key)
 * reaches the operator even if the command fails afterwards.
 */
final class Output {
  private Output() {}

  /** One line of the command's result, on stdout. */
  static void result(CommandSpec spec, String line) {
    write(spec.commandLine().getOut(), line);
  }

  /** One line for the human at the terminal, on stderr. */
  static void note(CommandSpec spec, String line) {
    write(spec.commandLine().getErr(), line);
  }

  private static void write(PrintWriter w, String line) {
    w.println(line);
    w.flush();
  }
}
