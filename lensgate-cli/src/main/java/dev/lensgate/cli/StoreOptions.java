package dev.lensgate.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option shared by the operator commands, and the process environment that
 * may point them at PostgreSQL instead ({@code LENSGATE_DB_URL}, {@code LENSGATE_DB_USER},
 * {@code LENSGATE_DB_PASSWORD}; never options, so no database password is ever in argv).
 *
 * <p>picocli creates this mixin through its factory; tests hand in their own environment map and
 * clock by creating it with {@link #StoreOptions(Map, Clock)}.
 */
final class StoreOptions {
  @Option(names = "--data-dir", defaultValue = ".lensgate", paramLabel = "DIR",
      description = {"Data directory holding the embedded metadata store and the master keyset "
          + "(default: ${DEFAULT-VALUE}).",
          "Set LENSGATE_DB_URL (and LENSGATE_DB_USER, LENSGATE_DB_PASSWORD) to use a PostgreSQL store; "
              + "the master key then comes from LENSGATE_MASTER_KEY or the data directory."})
  Path dataDir = Path.of(".lensgate");

  private final Map<String, String> environment;
  private final Clock clock;

  StoreOptions() {
    this(System.getenv(), Clock.systemUTC());
  }

  StoreOptions(Map<String, String> environment, Clock clock) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Opens the metadata store (migrating it on first use); close it when the command is done. */
  OperatorStore open() {
    return OperatorStore.open(dataDir, environment, clock);
  }

  Clock clock() {
    return clock;
  }

  /** The process environment the store settings came from (also read for runner tunables). */
  Map<String, String> environment() {
    return environment;
  }
}
