package dev.lensgate.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code embedders.<name>}: how a lens's texts become vectors.
 *
 * <p>Security: the config never holds an API key, only {@link #apiKeyEnv() the name of the
 * environment variable} the gateway reads it from; the loader refuses a value that looks like a key.
 * {@link #url()} is HTTPS unless its host is loopback.
 *
 * @param url the service base; requests go to {@code url + "/embeddings"} ({@link EmbedderType#OPENAI} only)
 * @param model the model name sent with every request ({@link EmbedderType#OPENAI} only)
 * @param dimensions the vector size to ask for, sent as {@code dimensions} and checked on every
 *     answer ({@link EmbedderType#OPENAI} only); empty: the parameter is not sent (models with a
 *     fixed size, such as text-embedding-ada-002, refuse it) and the model's own size is used
 * @param apiKeyEnv the environment variable holding the bearer key; empty for a service without auth
 * @param batchSize texts per model call or request
 * @param timeout per request ({@link EmbedderType#OPENAI} only; the local model ignores it)
 */
public record EmbedderConfig(
    String name,
    EmbedderType type,
    Optional<URI> url,
    Optional<String> model,
    Optional<Integer> dimensions,
    Optional<String> apiKeyEnv,
    int batchSize,
    Duration timeout) {
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int MAX_BATCH_SIZE = 2048;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int MAX_DIMENSIONS = 8192;

  public EmbedderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
    Objects.requireNonNull(timeout, "timeout");
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH_SIZE);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (type == EmbedderType.OPENAI && (url.isEmpty() || model.isEmpty())) {
      throw new IllegalArgumentException("an openai embedder needs url and model");
    }
    if (dimensions.isPresent() && (dimensions.get() < 1 || dimensions.get() > MAX_DIMENSIONS)) {
      throw new IllegalArgumentException("dimensions must be 1.." + MAX_DIMENSIONS);
    }
  }

  /** The built-in local model with default settings (what {@code embedder: local} means when undeclared). */
  public static EmbedderConfig builtInLocal() {
    return local(IndexSettings.LOCAL_EMBEDDER, DEFAULT_BATCH_SIZE);
  }

  public static EmbedderConfig local(String name, int batchSize) {
    return new EmbedderConfig(name, EmbedderType.LOCAL, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), batchSize, DEFAULT_TIMEOUT);
  }
}
