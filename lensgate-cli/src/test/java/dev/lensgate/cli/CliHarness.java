package dev.lensgate.cli;

import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.testkit.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the real {@link Main} command tree in-process, configured as {@link Main#run} configures it,
 * with captured stdout/stderr, a chosen process environment (so {@code LENSGATE_DB_URL} can name a
 * test PostgreSQL) and a chosen stdin for {@code sources connect}.
 */
final class CliHarness {
  /** The outcome of one command. */
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }

    List<String> outLines() {
      return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
    }
  }

  private final Path dataDir;
  private final Map<String, String> environment;
  private final Clock clock;

  private CliHarness(Path dataDir, Map<String, String> environment, Clock clock) {
    this.dataDir = dataDir;
    this.environment = environment;
    this.clock = clock;
  }

  /** Embedded H2 store under {@code dataDir}. */
  static CliHarness embedded(Path dataDir) {
    return new CliHarness(dataDir, Map.of(), Clock.systemUTC());
  }

  /** A PostgreSQL store in {@code db}'s schema; the master key comes from the environment. */
  static CliHarness postgres(Path dataDir, TestDatabase db) {
    Map<String, String> env = new HashMap<>();
    env.put("LENSGATE_DB_URL", db.jdbcUrl());
    env.put("LENSGATE_DB_USER", db.user());
    env.put("LENSGATE_DB_PASSWORD", db.password());
    env.put(MasterKeys.ENV_VAR, MasterKeys.newEnvironmentValue());
    return new CliHarness(dataDir, env, Clock.systemUTC());
  }

  CliHarness withEnvironment(Map<String, String> env) {
    return new CliHarness(dataDir, env, clock);
  }

  Path dataDir() {
    return dataDir;
  }

  Map<String, String> environment() {
    return environment;
  }

  /** Runs {@code args} followed by {@code --data-dir <dataDir>}. */
  Result store(String... args) {
    return storeWithStdin("", args);
  }

  Result storeWithStdin(String stdin, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--data-dir");
    all.add(dataDir.toString());
    return runWithStdin(stdin, all.toArray(new String[0]));
  }

  /** Runs {@code args} exactly as given. */
  Result run(String... args) {
    return runWithStdin("", args);
  }

  Result runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine.IFactory factory = new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        if (cls == StoreOptions.class) {
          return cls.cast(new StoreOptions(environment, clock));
        }
        if (cls == SourcesCommand.Connect.class) {
          return cls.cast(new SourcesCommand.Connect(
              new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false));
        }
        if (cls == TokenCommand.Mint.class) {
          return cls.cast(new TokenCommand.Mint(clock));
        }
        return CommandLine.defaultFactory().create(cls);
      }
    };
    CommandLine cli = new CommandLine(new Main(), factory);
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
