package dev.lensgate.cli;

import dev.lensgate.client.LensgateClient;
import dev.lensgate.client.Subscription;
import dev.lensgate.client.SubscriptionListener;
import java.io.IOException;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code subscribe} and {@code observe} share: the API options, {@code --limit} and the run loop. */
final class StreamOptions {
  @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
      description = "Exit (status 0) after N changes; 0 = run until interrupted (default).")
  long limit;

  @Mixin
  ApiOptions api;

  /** Opens the subscription {@code open} makes, prints it until it ends; the exit status. */
  int run(CommandLine cmd, BiFunction<LensgateClient, SubscriptionListener, Subscription> open) throws IOException {
    if (limit < 0) {
      throw new CommandLine.ParameterException(cmd, "--limit must be 0 (no limit) or more");
    }
    StreamPrinter printer = new StreamPrinter(cmd.getOut(), cmd.getErr(), limit);
    try (LensgateClient client = api.client(cmd); Subscription ignored = open.apply(client, printer)) {
      return StreamPrinter.await(printer);
    }
  }
}
