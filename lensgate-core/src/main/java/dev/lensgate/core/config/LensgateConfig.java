package dev.lensgate.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code lensgate.yaml}. Only {@link ConfigLoader} builds one from a file, after every
 * check passed (lens sources exist, rules compiled, ...). Immutable; maps keep file order.
 *
 * @param stack the version marker, {@code lensgate/v1}
 * @param jwt {@code auth.jwt}, when user tokens are accepted
 * @param embedders {@code embedders} by name; always holds the built-in {@code local}, and every
 *     lens's {@link IndexSettings#embedder()}
 */
public record LensgateConfig(
    String stack,
    Optional<JwtSettings> jwt,
    Map<String, SourceConfig> sources,
    Map<String, EmbedderConfig> embedders,
    Map<String, LensConfig> lenses,
    Defaults defaults) {
  public static final String STACK_V1 = "lensgate/v1";

  public LensgateConfig {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(defaults, "defaults");
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    Map<String, EmbedderConfig> e = new LinkedHashMap<>();
    e.put(IndexSettings.LOCAL_EMBEDDER, EmbedderConfig.builtInLocal());
    e.putAll(embedders);
    embedders = Collections.unmodifiableMap(e);
    lenses = Collections.unmodifiableMap(new LinkedHashMap<>(lenses));
    for (LensConfig lens : lenses.values()) {
      if (!sources.containsKey(lens.source())) {
        throw new IllegalArgumentException("lens " + lens.name() + " names unknown source " + lens.source());
      }
      if (!embedders.containsKey(lens.index().embedder())) {
        throw new IllegalArgumentException("lens " + lens.name() + " names unknown embedder " + lens.index().embedder());
      }
    }
  }

  /** A config without {@code embedders:} (only the built-in {@code local}). */
  public LensgateConfig(String stack, Optional<JwtSettings> jwt, Map<String, SourceConfig> sources,
      Map<String, LensConfig> lenses, Defaults defaults) {
    this(stack, jwt, sources, Map.of(), lenses, defaults);
  }

  /** The embedder a lens names; its {@link IndexSettings#embedder()} always resolves. */
  public EmbedderConfig embedderOf(LensConfig lens) {
    EmbedderConfig c = embedders.get(lens.index().embedder());
    if (c == null) {
      throw new IllegalArgumentException("lens " + lens.name() + " is not from this config");
    }
    return c;
  }

  public Optional<LensConfig> lens(String name) {
    return Optional.ofNullable(lenses.get(name));
  }

  public Optional<SourceConfig> source(String name) {
    return Optional.ofNullable(sources.get(name));
  }
}
