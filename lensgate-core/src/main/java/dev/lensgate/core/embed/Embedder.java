package dev.lensgate.core.embed;

import java.util.List;

/**
 * Turns texts into vectors for semantic search. Implementations: the built-in local model and an
 * OpenAI-compatible HTTP embedder (server module), and deterministic fakes in tests.
 *
 * <p>Contract: {@link #embed} returns one vector per input, in input order, each of
 * {@link #dimensions()} floats and unit length (so cosine is a dot product); it batches internally
 * as it sees fit. Failures throw {@link dev.lensgate.core.error.LensgateException} with
 * {@code EMBEDDING_FAILED}, whose message never holds the input text or a credential.
 * Implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {
  /**
   * A stable identity of the model and its settings (e.g. {@code local:all-minilm-l6-v2-q:384});
   * an index built with another id must be rebuilt.
   */
  String id();

  int dimensions();

  List<float[]> embed(List<String> texts);

  /** Releases model resources; further calls may fail. */
  @Override
  default void close() {}
}
