package dev.lensgate.cli;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import java.util.ArrayList;
import java.util.List;

/** The lens names of an environment's active (pushed) config, in declaration order. */
final class ActiveLenses {
  private ActiveLenses() {}

  /** Empty when the environment has no active config. */
  static List<String> names(OperatorStore store, String envId) {
    return store.configs().active(envId).map(active -> {
      ConfigResult parsed = ConfigLoader.parse(active.yaml(), "active config");
      return parsed.config().map(c -> (List<String>) new ArrayList<>(c.lenses().keySet())).orElse(List.of());
    }).orElse(List.of());
  }
}
