package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.server.store.Environment;
import dev.lensgate.server.store.RunnerJobRow;
import dev.lensgate.server.store.RunnerJobStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate ledger export}: the runner job ledger ({@code runner_jobs}) of the organization's
 * environments, oldest first, on stdout. The ledger holds counts, codes and timings only, never
 * parameter values or row contents, so neither does the export.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Export the runner job ledger.",
    subcommands = {LedgerCommand.Export.class})
final class LedgerCommand extends CommandGroup {
  /** Export formats. */
  enum Format { csv, json }

  static final String CSV_HEADER =
      "id,runner_id,env,source,kind,status,duration_ms,row_count,error_code,created_at";

  @Command(name = "export", mixinStandardHelpOptions = true, description = {
      "Print the ledger rows created in the last --since, oldest first.",
      "csv: a header row then one row per job (RFC 4180 quoting, LF line ends);",
      "json: one JSON array of objects (id, runnerId, env, source, kind, status, durationMs, rowCount,",
      "errorCode, createdAt). Empty runner id / error code: empty CSV field, JSON null.",
      "Rows are kept 90 days."})
  static final class Export implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How far back: e.g. 30m, 12h, 7d (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json",
        description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--env", paramLabel = "ENV", description = "Only this environment (default: all of them).")
    String envSlug;

    @Override
    public Integer call() {
      if (since.isZero() || since.isNegative()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--since must be longer than 0");
      }
      Instant now = store.clock().instant();
      Instant from = now.minus(since).isBefore(Instant.EPOCH) ? Instant.EPOCH : now.minus(since);
      Map<String, String> envSlugs = new LinkedHashMap<>();
      PrintWriter out = spec.commandLine().getOut();
      try (OperatorStore s = store.open()) {
        if (envSlug != null) {
          Environment env = s.environment(envSlug);
          envSlugs.put(env.id(), env.slug());
        } else {
          s.environments().list(s.org().id()).forEach(e -> envSlugs.put(e.id(), e.slug()));
        }
        // Written as read, a page at a time: the window can hold millions of jobs.
        try (LedgerWriter writer = format == Format.json ? new LedgerWriter.Json(out) : new LedgerWriter.Csv(out)) {
          s.runnerJobs().forEachSince(from, RunnerJobStore.EXPORT_PAGE_ROWS, r -> {
            String env = envSlugs.get(r.envId());
            if (env != null) {
              writer.write(r, env);
            }
          });
        }
      }
      out.flush();
      return 0;
    }
  }

  static String csvLine(RunnerJobRow r, String env) {
    List<String> fields = List.of(r.id(), r.runnerId().orElse(""), env, r.source(), r.kind(), r.status(),
        Long.toString(r.durationMs()), Long.toString(r.rowCount()), r.errorCode().orElse(""), r.createdAt().toString());
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(csvField(fields.get(i)));
    }
    return line.toString();
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
  static String csvField(String value) {
    if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  static void json(RunnerJobRow r, String env, ObjectNode o) {
    o.put("id", r.id());
    o.put("runnerId", r.runnerId().orElse(null));
    o.put("env", env);
    o.put("source", r.source());
    o.put("kind", r.kind());
    o.put("status", r.status());
    o.put("durationMs", r.durationMs());
    o.put("rowCount", r.rowCount());
    o.put("errorCode", r.errorCode().orElse(null));
    o.put("createdAt", r.createdAt().toString());
  }
}
