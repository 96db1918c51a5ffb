package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.config.CredentialsMode;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.RunnerInfo;
import dev.lensgate.server.store.RunnerStore;
import dev.lensgate.server.store.SourceAssignmentStore;
import dev.lensgate.server.store.SourceInfo;
import dev.lensgate.server.store.SourceStore;
import java.io.Console;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate sources connect|list|remove}: managed source credentials, envelope-encrypted in
 * the metadata store. There is deliberately no {@code --password} option: a password in argv is
 * visible to every local user ({@code ps}) and lands in shell history.
 *
 * <p>{@code sources assign|unassign} route a source through runners from the CLI. An assignment
 * <em>overrides</em> the config's {@code sources.<name>.runners} list for that source of that
 * environment (the gateway merges it on its config poll); unassigning returns the source to its
 * config. Only existing runners of the organization can be assigned.
 */
@Command(name = "sources", mixinStandardHelpOptions = true,
    description = {"Store, list and remove managed source credentials;",
        "assign sources to runners (overriding the config's runners: list)."},
    subcommands = {SourcesCommand.Connect.class, SourcesCommand.ListSources.class, SourcesCommand.Remove.class,
        SourcesCommand.Assign.class, SourcesCommand.Unassign.class})
final class SourcesCommand extends CommandGroup {
  /** Checked before the store is opened; the store applies the same rule. */
  static void checkName(CommandLine.Model.CommandSpec spec, String name) {
    if (!SourceStore.isValidName(name)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "invalid source name (letters, digits, '_' and '-', starting with a letter or digit, at most 63)");
    }
  }

  @Command(name = "connect", mixinStandardHelpOptions = true, description = {
      "Store the credentials of source NAME (replacing earlier ones).",
      "The password is read from stdin only, e.g.:",
      "  printf %%s \"$DB_PASSWORD\" | lensgate sources connect shop \\",
      "      --url jdbc:postgresql://db/shop --user app --password-stdin"})
  static final class Connect implements Callable<Integer> {
    private final InputStream stdin;
    private final boolean interactive;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The source name used in lensgate.yaml.")
    String name;

    @Option(names = "--url", required = true, paramLabel = "JDBC_URL",
        description = "jdbc: URL without a password.")
    String url;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "Database user.")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from stdin (prompts on a terminal).")
    boolean passwordStdin;

    @Option(names = "--no-password", description = "The database takes no password.")
    boolean noPassword;

    @Mixin
    EnvOption env;

    /**
     * Catches the habit {@code --password VALUE} so the value is consumed silently instead of being
     * echoed back by picocli's "unmatched argument" message; the command then refuses to run.
     */
    @Option(names = {"--password", "--pass", "-p"}, hidden = true, arity = "1")
    void passwordInArgv(String ignored) {
      passwordInArgv = true;
    }

    private boolean passwordInArgv;

    @Option(names = "--test", description = "Open a connection first; store nothing if it fails.")
    boolean test;

    Connect() {
      this(System.in, System.console() != null);
    }

    /** {@code interactive}: stdin is a terminal, so prompt without echo. */
    Connect(InputStream stdin, boolean interactive) {
      this.stdin = stdin;
      this.interactive = interactive;
    }

    @Override
    public Integer call() {
      if (passwordInArgv) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "there is no --password option: a password in argv is visible to other users; use --password-stdin");
      }
      checkName(spec, name);
      if (passwordStdin == noPassword) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "give exactly one of --password-stdin or --no-password");
      }
      try (SecretBytes password = readPassword(); OperatorStore s = store.open()) {
        Environment environment = env.resolve(s);
        refuseRunnerLocal(s, environment);
        if (test) {
          JdbcProbe.Result result = JdbcProbe.probe(url, user, password);
          if (!result.ok()) {
            throw new CliFailure("connection test failed, nothing stored: " + result.detail());
          }
          Output.note(spec, "connection ok: " + result.detail());
        }
        SourceInfo info = s.sources().connect(environment.id(), name, url, user, password);
        Output.result(spec, "connected source " + info.name() + " in " + environment.slug() + " ("
            + Listing.printable(JdbcProbe.withoutParameters(info.jdbcUrl())) + ", user " + Listing.printable(info.user())
            + ")");
      }
      return 0;
    }

    /** Runner-local credentials live in the runner's environment; storing them here would defeat that. */
    private void refuseRunnerLocal(OperatorStore s, Environment environment) {
      if (ActiveSources.configured(s, environment, name).map(c -> c.credentials() == CredentialsMode.RUNNER_LOCAL)
          .orElse(false)) {
        throw new CliFailure("source " + name + " is runner-local in the active config of " + environment.slug()
            + ": its credentials live only in the runner's environment (LENSGATE_SOURCE_" + name.toUpperCase(Locale.ROOT)
            + "_URL, _USER, _PASSWORD); nothing stored");
      }
    }

    private SecretBytes readPassword() {
      if (noPassword) {
        return SecretBytes.copyOf(new byte[0]);
      }
      Console console = interactive ? System.console() : null;
      SecretBytes password = new PasswordInput(stdin, console).read("Password for " + name + ": ");
      if (password.length() == 0) {
        password.wipe();
        throw new CliFailure("empty password; use --no-password for a database without one");
      }
      return password;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the managed sources of an environment: never passwords, URLs without parameters.",
      "One per line: ID  NAME  URL  USER  UPDATED"})
  static final class ListSources implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    EnvOption env;

    @Mixin
    ListOutput output;

    @Override
    public Integer call() {
      List<SourceInfo> sources;
      try (OperatorStore s = store.open()) {
        sources = s.sources().list(env.resolve(s).id());
      }
      output.print(spec.commandLine().getOut(), sources, ListSources::cells, ListSources::json);
      return 0;
    }

    private static String[] cells(SourceInfo i) {
      return new String[] {i.id(), i.name(), JdbcProbe.withoutParameters(i.jdbcUrl()), i.user(),
          Listing.time(i.updatedAt())};
    }

    private static void json(SourceInfo i, ObjectNode o) {
      o.put("id", i.id()).put("name", i.name()).put("url", JdbcProbe.withoutParameters(i.jdbcUrl()))
          .put("user", i.user()).put("createdAt", Listing.time(i.createdAt()))
          .put("updatedAt", Listing.time(i.updatedAt()));
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Delete the stored credentials of source NAME.")
  static final class Remove implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The source name.")
    String name;

    @Mixin
    EnvOption env;

    @Override
    public Integer call() {
      checkName(spec, name);
      try (OperatorStore s = store.open()) {
        Environment environment = env.resolve(s);
        if (!s.sources().remove(environment.id(), name)) {
          throw new CliFailure("no source '" + name + "' in " + environment.slug());
        }
        Output.result(spec, "removed source " + name + " from " + environment.slug());
      }
      return 0;
    }
  }

  @Command(name = "assign", mixinStandardHelpOptions = true, description = {
      "Serve source NAME of an environment through these runners.",
      "The assignment OVERRIDES the config's sources.<name>.runners list for that source, and sends a source",
      "without one through runners; a running gateway applies it within its config poll (about 2 s).",
      "Every runner must exist (lensgate runners list). --runners '' removes the assignment, like 'unassign'.",
      "Example: lensgate sources assign shop --runners edge-1,edge-2 --env production"})
  static final class Assign implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The source name used in lensgate.yaml.")
    String name;

    @Option(names = "--runners", required = true, split = ",", paramLabel = "RUNNER",
        description = "Comma-separated runner names, in the order you like; '' to remove the assignment.")
    List<String> runners = new ArrayList<>();

    @Mixin
    EnvOption env;

    @Override
    public Integer call() {
      checkName(spec, name);
      List<String> names = runners.stream().map(String::strip).filter(n -> !n.isEmpty()).distinct().toList();
      for (String n : names) {
        if (!RunnerStore.NAME.matcher(n).matches()) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "invalid runner name (letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63)");
        }
      }
      if (names.size() > SourceAssignmentStore.MAX_RUNNERS) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "at most " + SourceAssignmentStore.MAX_RUNNERS + " runners per source");
      }
      try (OperatorStore s = store.open()) {
        Environment environment = env.resolve(s);
        if (names.isEmpty()) {
          return Unassign.unassign(spec, s, environment, name);
        }
        List<RunnerInfo> assigned;
        try {
          assigned = s.assignments().assign(environment.id(), name, names);
        } catch (LensgateException e) {
          throw new CliFailure(e.getMessage() + " (lensgate runners list shows the runners); nothing changed");
        }
        RunnerStore runnerStore = s.runners();
        for (RunnerInfo r : assigned) {
          if (!runnerStore.isActive(r)) {
            Output.note(spec, "warning: runner " + r.name() + " is revoked and will never serve " + name);
          }
        }
        if (ActiveSources.configured(s, environment, name).isEmpty()) {
          Output.note(spec, "warning: the active config of " + environment.slug() + " declares no source " + name
              + "; the assignment applies once one does");
        }
        Output.result(spec, "assigned source " + name + " in " + environment.slug() + " to runners "
            + String.join(", ", names) + " (overrides the config's runners: list)");
      }
      return 0;
    }
  }

  @Command(name = "unassign", mixinStandardHelpOptions = true,
      description = "Remove the runner assignment of source NAME; it follows its config's runners: list again.")
  static final class Unassign implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME", description = "The source name.")
    String name;

    @Mixin
    EnvOption env;

    @Override
    public Integer call() {
      checkName(spec, name);
      try (OperatorStore s = store.open()) {
        return unassign(spec, s, env.resolve(s), name);
      }
    }

    static int unassign(CommandLine.Model.CommandSpec spec, OperatorStore s, Environment environment, String name) {
      if (!s.assignments().unassign(environment.id(), name)) {
        throw new CliFailure("source " + name + " in " + environment.slug() + " has no runner assignment");
      }
      Output.result(spec, "removed the runner assignment of source " + name + " in " + environment.slug()
          + "; it follows the config's runners: list again");
      return 0;
    }
  }
}
