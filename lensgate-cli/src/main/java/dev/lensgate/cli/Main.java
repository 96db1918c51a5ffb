package dev.lensgate.cli;

import dev.lensgate.server.index.GraphScorers;
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
    // Lucene 9 warns at first use on JDK 17-19, when the vector module is present (./lensgate adds it
    // for serve and demo), that "your Java version is too old": true of Lucene's own vector code, but
    // the gateway's graph scorer uses the module (GraphScorers), so the warning only misleads. The
    // logger is held until exit because java.util.logging keeps loggers weakly.
    java.util.logging.Logger luceneVectorization =
        java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization.VectorizationProvider");
    if (GraphScorers.simdAvailable()) {
      luceneVectorization.setLevel(java.util.logging.Level.SEVERE);
    }
    int status = run(args);
    java.lang.ref.Reference.reachabilityFence(luceneVectorization);
    System.exit(status);
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
