package dev.lensgate.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lensgate observe LENS ID}: prints the record's current state ({@code {"record": ...}},
 * null when it does not exist or the caller may not see it), then each change to it, as JSON lines.
 */
@Command(name = "observe", mixinStandardHelpOptions = true,
    description = "Prints one record's current state, then every change to it (NDJSON), until interrupted.")
final class ObserveCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Lens name.")
  String lens;

  @Parameters(index = "1", description = "The record's primary key.")
  String id;

  @Mixin
  StreamOptions stream;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    return stream.run(spec.commandLine(), (client, printer) -> client.observe(lens, id, printer));
  }
}
