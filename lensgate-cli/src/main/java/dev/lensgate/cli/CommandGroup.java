package dev.lensgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code keys}, {@code sources}, ...). Run without one it
 * is a usage error (exit 2) that names the subcommands.
 */
abstract class CommandGroup implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public final void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required (" + String.join(", ", spec.subcommands().keySet()) + ")");
  }
}
