package dev.lensgate.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of loading a config: the model when there were no errors, and every problem found
 * (errors and warnings, each in file order).
 */
public record ConfigResult(Optional<LensgateConfig> config, List<Problem> errors, List<Problem> warnings) {
  public ConfigResult {
    Objects.requireNonNull(config, "config");
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    if (config.isPresent() && !errors.isEmpty()) {
      throw new IllegalArgumentException("a config with errors must not be returned");
    }
  }

  /** True when the config loaded without errors (warnings allowed). */
  public boolean ok() {
    return config.isPresent();
  }
}
