package dev.lensgate.server.catalog;

import dev.lensgate.core.authz.Authorizer;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything compiled from one environment's active config: its lenses and the authorizer bound
 * to its JWT settings. Immutable; a config push swaps in a new instance atomically.
 *
 * @param configHash content hash of the active config (for change detection)
 */
public record EnvironmentRuntime(String envId, String configHash, LensgateConfig config, Authorizer authorizer) {
  public EnvironmentRuntime {
    Objects.requireNonNull(envId, "envId");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(authorizer, "authorizer");
  }

  public Optional<LensConfig> lens(String name) {
    return config.lens(name);
  }
}
