package dev.lensgate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.server.runner.RunnerSettings;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.RunnerInfo;
import dev.lensgate.server.store.RunnerStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate runners create|list|revoke}: organization-scoped runner identities, each bound to
 * one {@code rk_} key. The token is printed once at creation, alone on stdout (or inside the
 * {@code --json} object), then wiped; nothing else ever prints it.
 */
@Command(name = "runners", mixinStandardHelpOptions = true, description = "Create, list and revoke runners.",
    subcommands = {RunnersCommand.Create.class, RunnersCommand.ListRunners.class, RunnersCommand.Revoke.class})
final class RunnersCommand extends CommandGroup {
  /** Runner ids are base62 record ids. */
  private static final Pattern PRINTABLE_ID = Pattern.compile("[A-Za-z0-9]{1,32}");
  private static final Pattern LOOKS_LIKE_KEY = Pattern.compile("(?i)^(sk|pk|ik|rk|lp)_.*");

  @Command(name = "create", mixinStandardHelpOptions = true, description = {
      "Create a runner and its rk_ token. The token is printed once, alone on stdout; store it now.",
      "The runner id goes to stderr (with --json both are in one JSON object on stdout).",
      "Example: lensgate runners create --name edge-1 > edge-1.token"})
  static final class Create implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "The name sources refer to in runners: lists: letters, digits, '.', '_', '-' (at most 63).")
    String name;

    @Option(names = "--json", description = "Print {id, name, token} as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      if (!RunnerStore.NAME.matcher(name).matches()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "invalid runner name (letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63)");
      }
      try (OperatorStore s = store.open()) {
        RunnerStore runners = s.runners();
        if (runners.findByName(s.org().id(), name).isPresent()) {
          throw new CliFailure("a runner named '" + name + "' already exists (lensgate runners list shows it)");
        }
        CreatedRunner created = runners.create(s.org().id(), name);
        try (SecretBytes token = created.token()) {
          if (json) {
            ObjectNode o = Listing.newJsonArray().addObject();
            o.put("id", created.info().id()).put("name", created.info().name()).put("token", token.revealUtf8());
            Listing.printJson(spec.commandLine().getOut(), o);
          } else {
            Output.result(spec, token.revealUtf8());
          }
        }
        Output.note(spec, "created runner " + name + " (id " + created.info().id() + "); its token is shown only once, "
            + "store it now and give it to the runner as LENSGATE_RUNNER_TOKEN or --token-file");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = {
      "List the runners of the organization; never their tokens.",
      "One per line: ID  NAME  ONLINE|OFFLINE  LAST-HEARTBEAT  VERSION  SOURCES  STATE",
      "Online: a heartbeat within two heartbeat intervals (2 x 25 s unless LENSGATE_RUNNER_HEARTBEAT_SECONDS is set).",
      "SOURCES: env/source entries it serves, from the active configs' runners: lists and 'sources assign'.",
      "--json also gives keyId, the id of its rk_ key for 'lensgate keys rotate'."})
  static final class ListRunners implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    ListOutput output;

    @Override
    public Integer call() {
      Duration window = RunnerSettings.from(store.environment()).heartbeatInterval().multipliedBy(2);
      List<RunnerInfo> runners;
      Set<String> active = new HashSet<>();
      Map<String, List<String>> sources;
      try (OperatorStore s = store.open()) {
        RunnerStore runnerStore = s.runners();
        runners = runnerStore.list(s.org().id());
        for (RunnerInfo r : runners) {
          if (runnerStore.isActive(r)) {
            active.add(r.id());
          }
        }
        sources = ActiveSources.byRunner(s);
      }
      Instant now = store.clock().instant();
      output.print(spec.commandLine().getOut(), runners,
          r -> cells(r, now, window, active.contains(r.id()), sources.getOrDefault(r.name(), List.of())),
          (r, o) -> json(r, now, window, active.contains(r.id()), sources.getOrDefault(r.name(), List.of()), o));
      return 0;
    }

    static boolean online(RunnerInfo r, Instant now, Duration window, boolean active) {
      return active && r.lastHeartbeatAt().map(t -> !t.isBefore(now.minus(window))).orElse(false);
    }

    private static String[] cells(RunnerInfo r, Instant now, Duration window, boolean active, List<String> sources) {
      return new String[] {r.id(), r.name(), online(r, now, window, active) ? "online" : "offline",
          r.lastHeartbeatAt().map(Listing::time).orElse("never"), r.version().orElse(null),
          String.join(",", sources), active ? "active" : "revoked"};
    }

    private static void json(RunnerInfo r, Instant now, Duration window, boolean active, List<String> sources,
        ObjectNode o) {
      o.put("id", r.id());
      o.put("name", r.name());
      o.put("keyId", r.keyId());
      o.put("status", online(r, now, window, active) ? "online" : "offline");
      o.put("lastHeartbeatAt", r.lastHeartbeatAt().map(Listing::time).orElse(null));
      o.put("version", r.version().orElse(null));
      ArrayNode list = o.putArray("sources");
      new ArrayList<>(sources).forEach(list::add);
      o.put("state", active ? "active" : "revoked");
      o.put("createdAt", Listing.time(r.createdAt()));
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = {
      "Revoke a runner's token (and any earlier token still in a rotation grace period).",
      "A gateway sharing this store closes the runner's open connection within about a second."})
  static final class Revoke implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ID", description = "The runner id (first column of 'runners list').")
    String id;

    @Override
    public Integer call() {
      if (LOOKS_LIKE_KEY.matcher(id).matches()) {
        throw new CliFailure("that is a token, not a runner id; use the id from 'lensgate runners list' "
            + "(and revoke that runner if its token was exposed)");
      }
      boolean printable = PRINTABLE_ID.matcher(id).matches();
      try (OperatorStore s = store.open()) {
        RunnerStore runners = s.runners();
        RunnerInfo runner = (printable ? runners.find(id) : Optional.<RunnerInfo>empty())
            .filter(r -> r.orgId().equals(s.org().id()))
            .orElseThrow(() -> new CliFailure(printable ? "no runner with id '" + id + "'"
                : "no such runner (ids are letters and digits)"));
        boolean wasActive = runners.revoke(runner.id());
        Output.result(spec, "revoked runner " + runner.name() + " (" + runner.id() + ")"
            + (wasActive ? "" : " (it already was)"));
      }
      return 0;
    }
  }
}
