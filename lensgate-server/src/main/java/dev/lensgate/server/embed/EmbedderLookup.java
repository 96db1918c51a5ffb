package dev.lensgate.server.embed;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.embed.Embedder;

/**
 * The embedder a lens of an environment uses (its {@code embedder:} setting resolved against the
 * environment's active config). Implementations cache models: the local model is loaded once per
 * process, not per lens. Thread-safe.
 */
@FunctionalInterface
public interface EmbedderLookup {
  /**
   * @throws dev.lensgate.core.error.LensgateException {@code EMBEDDING_FAILED} when the embedder
   *     cannot be created (model missing, bad settings)
   */
  Embedder forLens(String envId, LensConfig lens);
}
