package dev.lensgate.core.config;

import java.util.Optional;

/** The kinds of embedder a config can declare under {@code embedders:}. */
public enum EmbedderType {
  /** The built-in quantized all-MiniLM-L6-v2 model, run in process (384 dimensions). */
  LOCAL("local"),
  /** An HTTP service speaking the OpenAI {@code POST /embeddings} protocol. */
  OPENAI("openai");

  private final String wireName;

  EmbedderType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EmbedderType> fromWire(String name) {
    for (EmbedderType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
