package dev.lensgate.cli;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.crypto.SecretBytes;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.ApiKeyScopes;
import dev.lensgate.server.store.ApiKeyInfo;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.CreatedKey;
import dev.lensgate.server.store.Environment;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lensgate keys create|list|revoke|rotate}.
 *
 * <p>A minted key's plaintext goes to stdout alone on its line, exactly once, so
 * {@code KEY=$(lensgate keys create ...)} captures it; everything meant for a human goes to stderr.
 * Nothing else ever prints a secret: listings show {@code prefix…last4}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Mint, list, revoke and rotate API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class,
        KeysCommand.Rotate.class})
final class KeysCommand extends CommandGroup {
  @Command(name = "create", mixinStandardHelpOptions = true, description = {
      "Mint a key. The key is printed once, alone on stdout; store it now.",
      "Example: KEY=$(lensgate keys create --type pk --env development --name web)"})
  static final class Create implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    EnvOption env;

    @Option(names = "--type", required = true, paramLabel = "TYPE", converter = KeyTypeConverter.class,
        description = "sk (server), pk (publishable), ik (ingest) or lp (partner, needs --scopes).")
    KeyType type;

    @Option(names = "--name", defaultValue = "", paramLabel = "NAME", description = "A label shown in listings.")
    String name;

    @Option(names = "--scopes", split = ",", paramLabel = "LENS:OP",
        description = "lp keys only: comma-separated <lens>:<search|similar|query|subscribe|ingest>, "
            + "e.g. products:search,products:similar.")
    List<String> scopes = List.of();

    @Override
    public Integer call() {
      Set<String> checkedScopes = checkScopes();
      try (OperatorStore s = store.open()) {
        Environment environment = env.resolve(s);
        CreatedKey created = s.apiKeys().create(type, environment.id(), name, checkedScopes);
        printOnce(spec, created);
        Output.note(spec, "created " + type.prefix() + " key " + created.id() + " in " + environment.slug() + " ("
            + created.display().render() + "); it is shown only once, store it now");
      }
      return 0;
    }

    private Set<String> checkScopes() {
      if (type == KeyType.LP && scopes.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "lp keys need --scopes, e.g. --scopes products:search");
      }
      if (type != KeyType.LP && !scopes.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--scopes is only for lp keys");
      }
      try {
        return ApiKeyScopes.validate(new LinkedHashSet<>(scopes));
      } catch (LensgateException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the keys of an environment; never their secrets.",
      "One key per line: ID  TYPE  NAME  PREFIX…LAST4  CREATED  LAST-USED  STATE  SCOPES"})
  static final class ListKeys implements Callable<Integer> {
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
      List<ApiKeyInfo> keys;
      String envSlug;
      try (OperatorStore s = store.open()) {
        Environment environment = env.resolve(s);
        envSlug = environment.slug();
        keys = s.apiKeys().list(s.org().id(), Optional.of(environment.id()));
      }
      Instant now = store.clock().instant();
      output.print(spec.commandLine().getOut(), keys, k -> KeyListing.cells(k, now),
          (k, json) -> KeyListing.json(k, envSlug, now, json));
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a key at once (also ends a rotation grace period).")
  static final class Revoke implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    KeyIdArgument id;

    @Override
    public Integer call() {
      try (OperatorStore s = store.open()) {
        ApiKeyService keys = s.apiKeys();
        ApiKeyInfo before = id.find(s, keys);
        keys.revoke(before.id());
        Output.result(spec, "revoked " + before.id() + (before.revokedAt() != null ? " (it already was)" : ""));
      }
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true, description = {
      "Replace a key by a new one of the same type, name and scopes. The new key is printed once, alone on stdout.",
      "With --grace the old key keeps working for that long; without it the old key stops at once."})
  static final class Rotate implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    KeyIdArgument id;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long the old key stays valid: e.g. 30m, 1h, 7d (at most 30d; default 0).")
    Duration grace = Duration.ZERO;

    @Override
    public Integer call() {
      if (grace.compareTo(ApiKeyService.MAX_GRACE) > 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--grace must be at most " + DurationConverter.format(ApiKeyService.MAX_GRACE));
      }
      try (OperatorStore s = store.open()) {
        ApiKeyService keys = s.apiKeys();
        ApiKeyInfo old = id.find(s, keys);
        CreatedKey created = keys.rotate(old.id(), Optional.of(grace));
        printOnce(spec, created);
        String oldFate = grace.isZero() ? "the old key is revoked now"
            : "the old key works until " + Listing.time(store.clock().instant().plus(grace)) + " ("
                + DurationConverter.format(grace) + ")";
        Output.note(spec, "rotated " + old.id() + " -> " + created.id() + " (" + created.display().render() + "); "
            + oldFate + ". The new key is shown only once, store it now");
      }
      return 0;
    }
  }

  /** Prints the plaintext alone on stdout, then wipes the only copy. */
  static void printOnce(CommandLine.Model.CommandSpec spec, CreatedKey created) {
    try (SecretBytes plaintext = created.plaintext()) {
      Output.result(spec, plaintext.revealUtf8());
    }
  }
}
