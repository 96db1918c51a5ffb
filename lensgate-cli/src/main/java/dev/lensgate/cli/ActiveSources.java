package dev.lensgate.cli;

import dev.lensgate.core.config.ConfigLoader;
import dev.lensgate.core.config.ConfigResult;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.config.SourceConfig;
import dev.lensgate.server.store.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sources of the environments' active configs as the gateway routes them: a CLI assignment
 * ({@code sources assign}) replaces the config's {@code runners:} list of its source, exactly as
 * the gateway's catalog merges them. Read-only; for listings and for refusing operations that do
 * not fit a source's mode.
 */
final class ActiveSources {
  private ActiveSources() {}

  /** The source {@code name} of {@code env}'s active config, if it has one that parses. */
  static Optional<SourceConfig> configured(OperatorStore s, Environment env, String name) {
    return activeConfig(s, env).flatMap(c -> c.source(name));
  }

  /** Runner name → the {@code env/source} entries it serves, sorted. */
  static Map<String, List<String>> byRunner(OperatorStore s) {
    Map<String, Map<String, List<String>>> assigned = s.assignments().all();
    Map<String, List<String>> out = new TreeMap<>();
    for (Environment env : s.environments().list(s.org().id())) {
      Map<String, List<String>> routed = new LinkedHashMap<>();
      activeConfig(s, env).ifPresent(c -> c.sources().values().forEach(src -> routed.put(src.name(), src.runners())));
      routed.putAll(assigned.getOrDefault(env.id(), Map.of()));
      routed.forEach((source, runners) -> {
        for (String runner : runners) {
          out.computeIfAbsent(runner, r -> new ArrayList<>()).add(env.slug() + "/" + source);
        }
      });
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  private static Optional<LensgateConfig> activeConfig(OperatorStore s, Environment env) {
    return s.configs().active(env.id()).flatMap(a -> {
      ConfigResult parsed = ConfigLoader.parse(a.yaml(), "active config of " + env.slug());
      return parsed.ok() ? parsed.config() : Optional.empty();
    });
  }
}
