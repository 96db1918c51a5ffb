package dev.lensgate.cli;

import dev.lensgate.server.store.IndexStateStore;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncQueueStore;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.server.store.Environment;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate sync LENS [--mode full|incremental|smart] [--wait]}: queues a sync of the lens in
 * the metadata store, where the running gateway's scheduler picks it up within a poll (~500 ms),
 * and lifts the lens's pause. The job id goes to stdout. With {@code --wait} a progress bar (on a
 * terminal) or percentage lines (otherwise) go to stderr until the job ends: exit 0 when it
 * succeeded, 1 with its error code when it failed or {@code --timeout} passed.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Queue a sync of a lens's search index (starts a paused lens).",
        "The running gateway picks it up; --wait shows progress until it is ready or failed."})
final class SyncCommand implements Callable<Integer> {
  /** The modes an operator may ask for ({@code records} is the webhook's). */
  enum Mode { FULL, INCREMENTAL, SMART }

  private static final long POLL_MILLIS = 200;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  EnvOption env;

  @Parameters(index = "0", paramLabel = "LENS", description = "The lens to sync.")
  String lens;

  @Option(names = "--mode", defaultValue = "smart", paramLabel = "MODE",
      description = "full, incremental or smart (default: ${DEFAULT-VALUE}); a never-built index is always built in full.")
  Mode mode;

  @Option(names = "--wait", description = "Show progress until the sync ends.")
  boolean waitForIt;

  @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    try (OperatorStore s = store.open()) {
      Environment environment = env.resolve(s);
      if (!ActiveLenses.names(s, environment.id()).contains(lens)) {
        throw new CliFailure("no lens named '" + Listing.printable(lens) + "' in the active config of "
            + environment.slug() + " (lensgate status lists them)");
      }
      SyncQueueStore queue = s.syncQueue();
      SyncMode syncMode = SyncMode.valueOf(mode.name());
      String jobId = queue.request(environment.id(), lens, syncMode, SyncRequest.ORIGIN_CLI);
      Output.result(spec, jobId);
      Output.note(spec, "queued " + syncMode.wireName() + " sync of " + lens + " in " + environment.slug());
      if (!waitForIt) {
        return 0;
      }
      return await(queue, s.indexStates(), environment.id(), jobId);
    }
  }

  private int await(SyncQueueStore queue, IndexStateStore states, String envId, String jobId) {
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = new ProgressBar(err, System.console() != null);
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      SyncRequest job = queue.find(jobId).orElseThrow(() -> new CliFailure("the sync job disappeared"));
      Optional<LensIndexStatus> status = states.get(envId, lens);
      if (SyncRequest.RUNNING.equals(job.status()) || job.finished()) {
        status.ifPresent(st -> bar.show(st.progressDone(), st.progressTotal()));
      }
      if (job.finished()) {
        bar.finish();
        if (SyncRequest.FAILED.equals(job.status())) {
          String message = status.flatMap(LensIndexStatus::lastErrorMessage).map(Listing::printable).orElse("");
          throw new CliFailure("sync of " + lens + " failed: " + job.errorCode().orElse("unknown")
              + (message.isEmpty() ? "" : " (" + message + ")"));
        }
        Output.note(spec, lens + " is ready: " + status.map(LensIndexStatus::documents).orElse(0L) + " documents, "
            + status.map(LensIndexStatus::rowsPerSecond).orElse(0L) + " rows/s");
        return 0;
      }
      if (System.nanoTime() > end) {
        bar.finish();
        throw new CliFailure("the sync did not end within " + DurationConverter.format(timeout)
            + " (is a gateway running? job " + jobId + " stays queued)");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliFailure("interrupted");
      }
    }
  }
}
