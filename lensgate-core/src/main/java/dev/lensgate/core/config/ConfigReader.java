package dev.lensgate.core.config;

import dev.lensgate.core.auth.Operation;
import dev.lensgate.core.rules.RuleCompiler;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Walks the composed YAML tree of one config file, reporting every problem, and builds the model
 * only when there were none. Sections are read independently so one broken section does not hide
 * the problems of the next.
 */
final class ConfigReader {
  private static final Set<String> ROOT_KEYS = Set.of("stack", "auth", "sources", "embedders", "lenses", "grants", "defaults");
  private static final Set<String> DEFAULTS_KEYS = Set.of("grants", "limit");
  private static final List<Operation> IMPLICIT_PUBLIC = List.of(Operation.SEARCH, Operation.SIMILAR, Operation.SUBSCRIBE);

  private final Problems problems;
  private final GrantReader grants;
  private final Path baseDir;

  ConfigReader(Problems problems, RuleCompiler rules, RulePositions positions, Path baseDir) {
    this.problems = problems;
    this.grants = new GrantReader(problems, rules, positions);
    this.baseDir = baseDir;
  }

  Optional<LensgateConfig> read(Node rootNode) {
    Optional<YamlMap> read = YamlMap.read(rootNode, "", problems, "the config");
    if (read.isEmpty()) {
      return Optional.empty();
    }
    YamlMap root = read.get().allowOnly(ROOT_KEYS);
    Optional<String> stack = root.requiredString("stack");
    if (stack.isPresent() && !stack.get().equals(LensgateConfig.STACK_V1)) {
      problems.error(root.entry("stack").get().value(), "stack",
          "unsupported stack '" + stack.get() + "': this version reads " + LensgateConfig.STACK_V1);
    }
    Optional<JwtSettings> jwt = root.entry("auth").flatMap(a -> new AuthReader(problems, baseDir).read(a));
    Map<String, SourceConfig> sources = root.entry("sources").map(s -> new SourceReader(problems).read(s)).orElse(Map.of());
    Defaults defaults = root.entry("defaults").map(this::defaults).orElse(Defaults.STANDARD);
    Map<String, EmbedderConfig> embedders = new EmbedderReader(problems).read(root.entry("embedders"));
    Set<String> embedderNames = new LinkedHashSet<>(embedders.keySet());
    root.entry("embedders").map(this::keysOf).ifPresent(embedderNames::addAll);

    Set<String> declaredSources = root.entry("sources").map(this::keysOf).orElse(Set.of());
    Map<String, LensReader.Draft> drafts = new LinkedHashMap<>();
    Set<String> declaredLenses = new LinkedHashSet<>();
    root.entry("lenses").ifPresent(lenses -> {
      Optional<YamlMap> lensMap = YamlMap.read(lenses.value(), lenses.path(), problems, "lenses: name → lens");
      LensReader reader = new LensReader(problems, grants, declaredSources, embedderNames);
      lensMap.ifPresent(m -> m.entries().forEach(e -> {
        declaredLenses.add(e.key());
        reader.read(e).ifPresent(d -> drafts.put(d.name(), d));
      }));
    });
    Map<String, Map<Operation, GrantReader.Located>> topLevel = root.entry("grants")
        .map(g -> topLevelGrants(g, declaredLenses)).orElse(Map.of());

    Map<String, LensConfig> lenses = new LinkedHashMap<>();
    for (LensReader.Draft d : drafts.values()) {
      Map<Operation, GrantReader.Located> merged = merge(d, topLevel.getOrDefault(d.name(), Map.of()));
      warnImplicitPublic(d, merged, defaults);
      Map<Operation, Grant> effective = new EnumMap<>(Operation.class);
      merged.forEach((op, located) -> effective.put(op, located.grant()));
      lenses.put(d.name(), new LensConfig(d.name(), d.source(), d.schema(), d.transforms(), effective, d.searchable(),
          defaults.grants(), d.index(), d.maxLiveSubscriptions()));
    }
    if (problems.hasErrors() || stack.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LensgateConfig(stack.get(), jwt, sources, embedders, lenses, defaults));
  }

  private Set<String> keysOf(YamlMap.Entry e) {
    Set<String> keys = new LinkedHashSet<>();
    if (e.value() instanceof org.snakeyaml.engine.v2.nodes.MappingNode) {
      for (var t : ((org.snakeyaml.engine.v2.nodes.MappingNode) e.value()).getValue()) {
        if (t.getKeyNode() instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
          keys.add(((org.snakeyaml.engine.v2.nodes.ScalarNode) t.getKeyNode()).getValue());
        }
      }
    }
    return keys;
  }

  private Defaults defaults(YamlMap.Entry e) {
    Optional<YamlMap> read = YamlMap.read(e.value(), e.path(), problems, "defaults");
    if (read.isEmpty()) {
      return Defaults.STANDARD;
    }
    YamlMap m = read.get().allowOnly(DEFAULTS_KEYS);
    DefaultGrants mode = DefaultGrants.OPEN;
    Optional<String> g = m.optionalString("grants");
    if (g.isPresent()) {
      if (g.get().equals("strict")) {
        mode = DefaultGrants.STRICT;
      } else if (!g.get().equals("open")) {
        problems.error(m.entry("grants").get().value(), m.childPath("grants"), "defaults.grants must be strict or open");
      }
    }
    int limit = Defaults.DEFAULT_LIMIT;
    if (m.has("limit")) {
      YamlMap.Entry l = m.entry("limit").get();
      limit = YamlScalars.integer(l.value(), l.path(), problems, 1, Defaults.MAX_LIMIT).orElse(Defaults.DEFAULT_LIMIT);
    }
    return new Defaults(mode, limit);
  }

  private Map<String, Map<Operation, GrantReader.Located>> topLevelGrants(YamlMap.Entry e, Set<String> lenses) {
    Map<String, Map<Operation, GrantReader.Located>> out = new LinkedHashMap<>();
    Optional<YamlMap> read = YamlMap.read(e.value(), e.path(), problems, "grants: lens → operation → grant");
    if (read.isEmpty()) {
      return out;
    }
    for (YamlMap.Entry lens : read.get().entries()) {
      if (!lenses.contains(lens.key())) {
        problems.error(lens.keyNode(), lens.path(), "grants for unknown lens '" + lens.key() + "'"
            + Suggest.closest(lens.key(), lenses).map(s -> "; did you mean '" + s + "'?").orElse(""));
        continue;
      }
      out.put(lens.key(), grants.readOperations(lens.value(), lens.path()));
    }
    return out;
  }

  private Map<Operation, GrantReader.Located> merge(LensReader.Draft d, Map<Operation, GrantReader.Located> top) {
    Map<Operation, GrantReader.Located> merged = new EnumMap<>(d.grants());
    for (Map.Entry<Operation, GrantReader.Located> e : top.entrySet()) {
      GrantReader.Located inLens = merged.get(e.getKey());
      if (inLens != null) {
        problems.error(e.getValue().keyNode(), e.getValue().path(), "conflicts with " + inLens.path() + " (line "
            + inLens.keyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0) + "): grant each operation once");
        continue;
      }
      merged.put(e.getKey(), e.getValue());
    }
    return merged;
  }

  private void warnImplicitPublic(LensReader.Draft d, Map<Operation, GrantReader.Located> merged, Defaults defaults) {
    if (defaults.grants() != DefaultGrants.OPEN) {
      return;
    }
    for (Operation op : IMPLICIT_PUBLIC) {
      if (!merged.containsKey(op)) {
        problems.warn(d.grantsNode().orElse(d.keyNode()), "lenses." + d.name() + ".grants." + op.wireName(),
            op.wireName() + " is public by default: anyone with a pk_ key can call it; grant it explicitly, "
                + "or set defaults.grants: strict");
      }
    }
  }
}
