package dev.lensgate.server.search;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.server.embed.EmbedderLookup;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds one query text with a lens's embedder, containing the embedder: any failure (lookup,
 * model, transport, a wrong-sized answer) becomes {@code 502 embedding_failed} with a message that
 * holds neither the text nor a credential; the cause is logged by class only.
 */
final class Embeddings {
  private static final Logger LOG = LoggerFactory.getLogger(Embeddings.class);

  private final EmbedderLookup embedders;

  Embeddings(EmbedderLookup embedders) {
    this.embedders = embedders;
  }

  float[] embed(String envId, LensConfig lens, String text) {
    try {
      Embedder embedder = embedders.forLens(envId, lens);
      List<float[]> vectors = embedder.embed(List.of(text));
      if (vectors.size() != 1 || vectors.get(0) == null || vectors.get(0).length != embedder.dimensions()) {
        throw failed();
      }
      return vectors.get(0);
    } catch (LensgateException e) {
      if (e.code() == ErrorCode.EMBEDDING_FAILED) {
        throw e;
      }
      LOG.warn("embedder of lens {} failed with {}", lens.name(), e.code().code());
      throw failed();
    } catch (RuntimeException e) {
      LOG.warn("embedder of lens {} failed: {}", lens.name(), e.getClass().getName());
      throw failed();
    }
  }

  static LensgateException failed() {
    return new LensgateException(ErrorCode.EMBEDDING_FAILED, "the embedding service failed; keyword search still works");
  }
}
