package dev.lensgate.server.index;

import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;

/** Picks how vectors are compared while HNSW graphs are built, from what this JVM offers. */
public final class GraphScorers {
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  private GraphScorers() {}

  /** Whether the JDK's vector API is available (the JVM was started with {@code --add-modules jdk.incubator.vector}). */
  public static boolean simdAvailable() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** SIMD when available, else Lucene's own scorer (scalar on JDK 17). */
  static FlatVectorsScorer forThisJvm() {
    return simdAvailable() ? new SimdGraphScorer() : DefaultFlatVectorScorer.INSTANCE;
  }

  /** One line for the start-up log. */
  public static String describe() {
    return simdAvailable()
        ? "index graphs are built with the JDK vector API (SIMD)"
        : "index graphs are built with scalar math; start the JVM with --add-modules " + VECTOR_MODULE
            + " for faster indexing";
  }
}
