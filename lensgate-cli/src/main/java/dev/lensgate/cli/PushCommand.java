package dev.lensgate.cli;

import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.PushResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate push}: validates the config and makes it the environment's active config. A
 * config with errors is never stored. Pushing the active content again changes nothing and says
 * so; otherwise a unified diff against the previous active config is printed. Stored credentials
 * of sources the pushed config declares {@code credentials: runner-local} are deleted in the same
 * store operation, one stderr line per source.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = {"Validate a config and store it as the environment's active config.",
    "Prints a diff against the previous one, or 'unchanged (sha256:...)'."})
final class PushCommand implements Callable<Integer> {
  private static final int DIFF_CONTEXT_LINES = 3;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  EnvOption env;

  @Option(names = "--config", defaultValue = "lensgate.yaml", paramLabel = "FILE",
      description = "The config (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(names = "--resume-ingest", description = {"Lift the pause of every lens of the pushed config, so",
      "ingest and scheduled syncs run; a never-built lens gets a sync queued."})
  boolean resumeIngest;

  @Override
  public Integer call() {
    ConfigFile config = ConfigFile.read(file);
    PrintWriter err = spec.commandLine().getErr();
    config.printProblems(err);
    if (!config.result().ok()) {
      throw new CliFailure(config.summary() + "; nothing pushed");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (OperatorStore s = store.open()) {
      Environment environment = env.resolve(s);
      PushResult result = s.configs().push(environment.id(), config.text());
      for (String source : result.wipedCredentials()) {
        Output.note(spec, "wiped stored credentials of source " + source + " (runner-local)");
      }
      if (resumeIngest) {
        resumeIngest(s, environment, config);
      }
      if (!result.changed()) {
        out.println("unchanged (sha256:" + result.hash() + ")");
        out.flush();
        return 0;
      }
      List<String> before = result.previousYaml().map(LineDiff::lines).orElse(List.of());
      out.println("--- " + environment.slug()
          + (result.previousYaml().isPresent() ? " (previous)" : " (no config yet)"));
      out.println("+++ " + config.name());
      LineDiff.unified(before, LineDiff.lines(config.text()), DIFF_CONTEXT_LINES).forEach(out::println);
      out.println("pushed to " + environment.slug() + " (sha256:" + result.hash() + ")");
      out.flush();
    }
    return 0;
  }

  /** Issue 4: {@code --resume-ingest} lifts each lens's pause, queueing a first build where none ran. */
  private void resumeIngest(OperatorStore s, Environment environment, ConfigFile config) {
    var states = s.indexStates();
    var queue = s.syncQueue();
    java.util.Set<String> lenses = config.result().config().map(c -> c.lenses().keySet()).orElse(java.util.Set.of());
    for (String lens : lenses) {
      boolean neverSynced = states.get(environment.id(), lens).flatMap(st -> st.lastSyncAt()).isEmpty();
      states.resume(environment.id(), lens);
      if (neverSynced && !queue.hasOpenJob(environment.id(), lens)) {
        queue.request(environment.id(), lens, dev.lensgate.server.store.SyncMode.SMART,
            dev.lensgate.server.store.SyncRequest.ORIGIN_CLI);
      }
    }
    Output.note(spec, "resumed ingest for " + lenses.size() + " lens(es) in " + environment.slug());
  }
}
