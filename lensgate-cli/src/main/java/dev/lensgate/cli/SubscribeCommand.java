package dev.lensgate.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lensgate subscribe LENS [--where JSON]}: opens {@code GET /v1/stream} and prints every
 * insert, update and delete the caller may see as one JSON line, until interrupted, {@code --limit}
 * changes, or the gateway ends the subscription (revoked key, expired token, removed grant: exit 1
 * with the code).
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
    description = "Prints a lens's live changes (NDJSON) over the stream WebSocket until interrupted.")
final class SubscribeCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Lens name.")
  String lens;

  @Option(names = "--where", description = "Only changes of rows matching this filter (JSON), e.g. '{\"category\":\"kitchen\"}'.")
  String where;

  @Mixin
  StreamOptions stream;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    return stream.run(cmd, (client, printer) -> where == null ? client.subscribe(lens, printer)
        : client.subscribe(lens, SearchCommand.where(cmd, where), printer));
  }
}
