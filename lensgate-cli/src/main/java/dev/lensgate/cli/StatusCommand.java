package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.LensIndexStatus;
import dev.lensgate.server.store.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate status [--lens L] [--env E] [--json]}: per lens of the environment (its active
 * config's lenses, plus any with index state), one line: lens, state, documents, pending changes,
 * rows/s of the last sync, last sync time, last error ({@code code: message}). A lens no gateway has
 * seen yet shows {@code paused}. Error messages are the gateway's value-free ones.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the search index state of each lens:",
        "lens, state, documents, pending changes, rows/s, last sync, last error."})
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  EnvOption env;

  @Mixin
  ListOutput output;

  @Option(names = "--lens", paramLabel = "LENS", description = "Only this lens.")
  String lens;

  @Override
  public Integer call() {
    try (OperatorStore s = store.open()) {
      Environment environment = env.resolve(s);
      Map<String, Optional<LensIndexStatus>> rows = new LinkedHashMap<>();
      ActiveLenses.names(s, environment.id()).forEach(name -> rows.put(name, Optional.empty()));
      for (LensIndexStatus st : s.indexStates().list(environment.id())) {
        rows.put(st.lens(), Optional.of(st));
      }
      List<Map.Entry<String, Optional<LensIndexStatus>>> shown = new ArrayList<>();
      for (Map.Entry<String, Optional<LensIndexStatus>> e : rows.entrySet()) {
        if (lens == null || lens.equals(e.getKey())) {
          shown.add(e);
        }
      }
      if (lens != null && shown.isEmpty()) {
        throw new CliFailure("no lens named '" + Listing.printable(lens) + "' in " + environment.slug());
      }
      output.print(spec.commandLine().getOut(), shown, StatusCommand::cells, StatusCommand::json);
    }
    return 0;
  }

  private static String[] cells(Map.Entry<String, Optional<LensIndexStatus>> e) {
    Optional<LensIndexStatus> st = e.getValue();
    return new String[] {
        e.getKey(),
        st.map(s -> s.state().wireName()).orElse(IndexState.PAUSED.wireName()),
        Long.toString(st.map(LensIndexStatus::documents).orElse(0L)),
        Long.toString(st.map(LensIndexStatus::pendingChanges).orElse(0L)),
        st.map(s -> s.rowsPerSecond() + "/s").orElse("0/s"),
        st.flatMap(LensIndexStatus::lastSyncAt).map(Listing::time).orElse("never"),
        st.flatMap(LensIndexStatus::lastErrorCode).map(code -> code + st.flatMap(LensIndexStatus::lastErrorMessage)
            .map(m -> ": " + m).orElse("")).orElse(null)};
  }

  private static void json(Map.Entry<String, Optional<LensIndexStatus>> e, ObjectNode o) {
    Optional<LensIndexStatus> st = e.getValue();
    o.put("lens", e.getKey());
    o.put("state", st.map(s -> s.state().wireName()).orElse(IndexState.PAUSED.wireName()));
    o.put("paused", st.map(LensIndexStatus::paused).orElse(true));
    o.put("documents", st.map(LensIndexStatus::documents).orElse(0L));
    o.put("pendingChanges", st.map(LensIndexStatus::pendingChanges).orElse(0L));
    o.put("rowsPerSecond", st.map(LensIndexStatus::rowsPerSecond).orElse(0L));
    o.put("lastSyncAt", st.flatMap(LensIndexStatus::lastSyncAt).map(Listing::time).orElse(null));
    if (st.flatMap(LensIndexStatus::lastErrorCode).isPresent()) {
      ObjectNode err = o.putObject("lastError");
      err.put("code", st.get().lastErrorCode().get());
      err.put("message", st.get().lastErrorMessage().orElse(""));
    } else {
      o.putNull("lastError");
    }
  }
}
