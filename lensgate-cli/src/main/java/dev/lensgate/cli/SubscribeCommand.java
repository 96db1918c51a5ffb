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
 * {@code lensgate subscribe LENS [--where JSON]}: opens {@code GET /v1/stream} and prints every
 * insert, update and delete the caller may see as one JSON line, until interrupted or the gateway
 * ends the subscription (revoked key, expired token, removed grant: exit 1 with the code).
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
    description = "Prints a lens's live changes (NDJSON) over the stream WebSocket until interrupted.")
final class SubscribeCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Lens name.")
  String lens;

  @Option(names = "--where", description = "Only changes of rows matching this filter (JSON), e.g. '{\"category\":\"kitchen\"}'.")
  String where;

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
        Subscription ignored = where == null ? client.subscribe(lens, printer)
            : client.subscribe(lens, SearchCommand.where(spec.commandLine(), where), printer)) {
      return StreamPrinter.await(printer);
    }
  }
}
