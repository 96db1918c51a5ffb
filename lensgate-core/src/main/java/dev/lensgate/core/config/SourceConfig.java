package dev.lensgate.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sources.<name>}: a database the lenses read from.
 *
 * @param url the JDBC URL without credentials; empty when it comes from {@code sources connect}
 *     or, for runner-local sources, from the runner's environment
 * @param runners names of the runners that may serve this source; empty means direct mode
 */
public record SourceConfig(
    String name, SourceType type, Optional<String> url, List<String> runners, CredentialsMode credentials) {
  public SourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
    runners = List.copyOf(runners);
    Objects.requireNonNull(credentials, "credentials");
  }

  /** True when jobs for this source go through runners rather than a direct JDBC connection. */
  public boolean viaRunners() {
    return !runners.isEmpty();
  }
}
