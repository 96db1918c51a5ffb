package dev.lensgate.cli;

import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Subscription;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
      description = "Exit (status 0) after N changes; 0 = run until interrupted (default).")
  long limit;

  @Mixin
  ApiOptions api;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (limit < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 (no limit) or more");
    }
    StreamPrinter printer = new StreamPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), limit);
    try (LensgateClient client = api.client(spec.commandLine());
        Subscription ignored = client.observe(lens, id, printer)) {
      return StreamPrinter.await(printer);
    }
  }
}
