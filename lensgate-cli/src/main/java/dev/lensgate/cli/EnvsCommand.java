package dev.lensgate.cli;

import dev.lensgate.core.keys.ApiKeyFormat;
import dev.lensgate.server.store.Environment;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lensgate envs create|list}: the environments of the organization. */
@Command(name = "envs", mixinStandardHelpOptions = true, description = "Create and list environments.",
    subcommands = {EnvsCommand.Create.class, EnvsCommand.ListEnvs.class})
final class EnvsCommand extends CommandGroup {
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an environment. It starts with no keys and no config.")
  static final class Create implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "SLUG",
        description = "Lower-case name written into the environment's keys: [a-z0-9][a-z0-9-]{0,62}.")
    String slug;

    @Override
    public Integer call() {
      if (!ApiKeyFormat.isValidSlug(slug)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "invalid environment name (expected lower-case letters, digits and '-', starting with a letter or digit, "
                + "at most 63 characters)");
      }
      try (OperatorStore s = store.open()) {
        if (s.environments().findBySlug(s.org().id(), slug).isPresent()) {
          throw new CliFailure("environment '" + slug + "' already exists");
        }
        Environment env = s.environments().create(s.org().id(), slug);
        Output.result(spec, "created environment " + env.slug() + " (" + env.id() + ")");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the environments of the organization.",
      "One per line: ID  SLUG  CREATED"})
  static final class ListEnvs implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    ListOutput output;

    @Override
    public Integer call() {
      List<Environment> envs;
      try (OperatorStore s = store.open()) {
        envs = s.environments().list(s.org().id());
      }
      output.print(spec.commandLine().getOut(), envs,
          e -> new String[] {e.id(), e.slug(), Listing.time(e.createdAt())},
          (e, o) -> o.put("id", e.id()).put("slug", e.slug()).put("createdAt", Listing.time(e.createdAt())));
      return 0;
    }
  }
}
