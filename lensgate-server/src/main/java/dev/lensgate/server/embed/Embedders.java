package dev.lensgate.server.embed;

import dev.lensgate.core.config.EmbedderConfig;
import dev.lensgate.core.config.EmbedderType;
import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.config.LensgateConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.catalog.EnvironmentCatalog;
import dev.lensgate.server.catalog.EnvironmentRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway's {@link EmbedderLookup}: resolves a lens's {@code embedder:} name against its
 * environment's active config and hands out cached instances.
 *
 * <p>Caching: the local model is one per process (see {@link SharedMiniLm}); this class keeps one
 * {@link LocalMiniLmEmbedder} per batch size. HTTP embedders are cached per (environment, name)
 * and replaced when the environment's config changes that embedder's settings; nothing is shared
 * across environments except the local model, which has no per-tenant state. {@link #close()}
 * releases them all (the gateway calls it when it closes).
 *
 * <p>Thread-safe. Creating an HTTP embedder reads its key from the environment; a missing key is
 * {@code EMBEDDING_FAILED} naming the variable (never a value).
 */
public final class Embedders implements EmbedderLookup, AutoCloseable {
  private final Function<String, Optional<LensgateConfig>> configs;
  private final Path modelCacheDir;
  private final Function<String, String> env;
  private final Map<Integer, LocalMiniLmEmbedder> locals = new HashMap<>();
  private final Map<String, Cached> remote = new HashMap<>();
  private final List<Embedder> retired = new ArrayList<>();
  private boolean closed;

  private record Cached(EmbedderConfig config, Embedder embedder) {}

  /**
   * @param catalog the active config of each environment
   * @param modelCacheDir where the local model's tokenizer may unpack its native library, e.g.
   *     {@code <dataDir>/djl}
   */
  public Embedders(EnvironmentCatalog catalog, Path modelCacheDir) {
    this(envId -> catalog.runtime(envId).map(EnvironmentRuntime::config), modelCacheDir, System::getenv);
  }

  /**
   * @param configs envId → its active config
   * @param env reads environment variables (API keys)
   */
  public Embedders(Function<String, Optional<LensgateConfig>> configs, Path modelCacheDir, Function<String, String> env) {
    this.configs = Objects.requireNonNull(configs, "configs");
    this.modelCacheDir = Objects.requireNonNull(modelCacheDir, "modelCacheDir");
    this.env = Objects.requireNonNull(env, "env");
  }

  @Override
  public Embedder forLens(String envId, LensConfig lens) {
    LensgateConfig config = configs.apply(envId).orElseThrow(() ->
        new LensgateException(ErrorCode.EMBEDDING_FAILED, "the environment has no active config"));
    EmbedderConfig ec = config.embedders().get(lens.index().embedder());
    if (ec == null) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "embedder " + lens.index().embedder() + " is not declared");
    }
    return forConfig(envId, ec);
  }

  /** The embedder for {@code config} in {@code envId}, created on first use. */
  public synchronized Embedder forConfig(String envId, EmbedderConfig config) {
    if (closed) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the gateway is shutting down");
    }
    if (config.type() == EmbedderType.LOCAL) {
      return locals.computeIfAbsent(config.batchSize(), size -> new LocalMiniLmEmbedder(size, modelCacheDir));
    }
    String key = envId + "\u0000" + config.name();
    Cached cached = remote.get(key);
    if (cached != null && cached.config().equals(config)) {
      return cached.embedder();
    }
    Embedder created = new OpenAiCompatibleEmbedder(config, env);
    if (cached != null) {
      // Requests in flight may still use it; it is closed with the gateway.
      retired.add(cached.embedder());
    }
    remote.put(key, new Cached(config, created));
    return created;
  }

  @Override
  public synchronized void close() {
    closed = true;
    locals.values().forEach(Embedders::closeQuietly);
    remote.values().forEach(c -> closeQuietly(c.embedder()));
    retired.forEach(Embedders::closeQuietly);
    locals.clear();
    remote.clear();
    retired.clear();
  }

  private static void closeQuietly(Embedder e) {
    try {
      e.close();
    } catch (RuntimeException ignored) {
      // Closing releases resources; one failure must not keep the others open.
    }
  }
}
