package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.SourceInfo;
import dev.lensgate.server.store.SourceStore;
import java.io.Console;
import java.io.InputStream;
import java.util.List;
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
 */
@Command(name = "sources", mixinStandardHelpOptions = true,
    description = "Store, list and remove managed source credentials.",
    subcommands = {SourcesCommand.Connect.class, SourcesCommand.ListSources.class, SourcesCommand.Remove.class})
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
}
