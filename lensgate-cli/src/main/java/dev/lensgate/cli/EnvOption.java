package dev.lensgate.cli;

import dev.lensgate.server.store.Environment;
import picocli.CommandLine.Option;

/** The {@code --env} option of the operator commands that act inside one environment. */
final class EnvOption {
  @Option(names = "--env", defaultValue = "development", paramLabel = "ENV",
      description = "Environment (default: ${DEFAULT-VALUE}).")
  String slug;

  /**
   * The named environment of the store's organization.
   *
   * @throws CliFailure if the name is malformed or there is no such environment
   */
  Environment resolve(OperatorStore store) {
    return store.environment(slug);
  }
}
