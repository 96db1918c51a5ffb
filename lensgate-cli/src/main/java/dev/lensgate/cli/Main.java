package dev.lensgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lensgate} command. Exit status: 0 success, 1 a failed operation, 2 bad usage; errors
 * go to stderr, results to stdout.
 */
@Command(name = "lensgate", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Self-hosted, security-first data layer beside your databases.",
    subcommands = {
        DemoCommand.class,
        ServeCommand.class,
        ValidateCommand.class,
        PushCommand.class,
        SyncCommand.class,
        StatusCommand.class,
        KeysCommand.class,
        EnvsCommand.class,
        SourcesCommand.class,
        RunnersCommand.class,
        LedgerCommand.class,
        TokenCommand.class,
        QueryCommand.class,
        SearchCommand.class,
        SimilarCommand.class,
        SubscribeCommand.class,
        ObserveCommand.class,
        RunnerCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI in-process and returns its exit status (tests call this). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
