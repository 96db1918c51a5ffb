package dev.lensgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lensgate.cli.demo.DemoEnvironment;
import dev.lensgate.core.jwt.DevIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lensgate token mint}: a user JWT signed by the demo's local dev issuer. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Development user tokens (demo mode only).",
    subcommands = {TokenCommand.Mint.class})
final class TokenCommand extends CommandGroup {
  /** Where {@code lensgate demo} saves its issuer, relative to the data directory. */
  static final String DEV_ISSUER_FILE = DemoEnvironment.DIR + "/" + DemoEnvironment.ISSUER_FILE;

  @Command(name = "mint", mixinStandardHelpOptions = true, description = {
      "Mint a user JWT with the dev issuer of 'lensgate demo' and print it alone on stdout.",
      "Example: TOKEN=$(lensgate token mint --sub alice --claim orgId=acme --claim level:=3)"})
  static final class Mint implements Callable<Integer> {
    private final Clock clock;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--sub", required = true, paramLabel = "SUBJECT", description = "The token's subject (sub).")
    String subject;

    @Option(names = "--claim", paramLabel = "K=V",
        description = {"An extra claim; repeatable:",
            "  key=value  a string, e.g. orgId=acme",
            "  key:=json  a JSON value, e.g. level:=3, admin:=true, roles:='[\"a\",\"b\"]'",
            "iss, aud, sub, exp, nbf, iat and jti are set by the issuer."})
    List<String> claims = List.of();

    @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1h",
        description = "Lifetime, e.g. 15m, 1h, 7d (default: ${DEFAULT-VALUE}, at most 30d).")
    Duration ttl;

    @Option(names = "--data-dir", defaultValue = ".lensgate", paramLabel = "DIR",
        description = "Data directory of the demo (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    Mint() {
      this(Clock.systemUTC());
    }

    Mint(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() {
      Map<String, Object> extra;
      try {
        extra = ClaimArgs.parse(claims);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (subject.isBlank()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--sub must not be blank");
      }
      if (ttl.isZero() || ttl.compareTo(DevIssuer.MAX_TTL) > 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--ttl must be between 1s and " + DurationConverter.format(DevIssuer.MAX_TTL));
      }
      DevIssuer issuer = loadIssuer();
      String jwt;
      try {
        jwt = issuer.mint(subject, extra, ttl);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      Output.result(spec, jwt);
      return 0;
    }

    private DevIssuer loadIssuer() {
      Path file = dataDir.resolve(DEV_ISSUER_FILE);
      if (!Files.exists(file)) {
        throw new CliFailure("no dev issuer: run ./lensgate demo first (looked for " + file + ")");
      }
      try {
        return DevIssuer.load(file, clock);
      } catch (NoSuchFileException e) {
        throw new CliFailure("no dev issuer: run ./lensgate demo first (looked for " + file + ")");
      } catch (JsonProcessingException e) {
        // Jackson's message may quote the file, i.e. the private key: name the problem only.
        throw new CliFailure("cannot read the dev issuer " + file + ": not valid JSON");
      } catch (IOException e) {
        throw new CliFailure("cannot read the dev issuer " + file + ": " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " " + e.getMessage()));
      }
    }
  }
}
