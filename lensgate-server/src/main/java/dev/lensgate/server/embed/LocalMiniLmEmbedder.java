package dev.lensgate.server.embed;

import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The built-in embedder: quantized all-MiniLM-L6-v2 (384 dimensions), run in process, offline.
 *
 * <p>The model is loaded on the first {@link #embed} call (not at construction, so a gateway whose
 * lenses never embed pays nothing) and shared by every instance in the process (see
 * {@link SharedMiniLm}). Texts are grouped by length before batching, so a batch pads little, and
 * answered in input order. Vectors have unit length. Texts longer than 256 word pieces are
 * truncated.
 *
 * <p>Failures are {@code EMBEDDING_FAILED} whose message names only the exception type: never the
 * input text. Thread-safe.
 */
public final class LocalMiniLmEmbedder implements Embedder {
  public static final String ID = "local:all-minilm-l6-v2-q:" + MiniLmModel.DIMENSIONS;
  public static final int DIMENSIONS = MiniLmModel.DIMENSIONS;

  private final int batchSize;
  private final Path cacheDir;
  private final Object lock = new Object();
  private volatile MiniLmModel model;
  private boolean closed;

  /**
   * @param batchSize texts per model call (1..2048)
   * @param cacheDir where DJL may unpack the tokenizer's native library (e.g. {@code <dataDir>/djl})
   */
  public LocalMiniLmEmbedder(int batchSize, Path cacheDir) {
    if (batchSize < 1 || batchSize > 2048) {
      throw new IllegalArgumentException("batchSize must be 1..2048");
    }
    this.batchSize = batchSize;
    this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  public int batchSize() {
    return batchSize;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    MiniLmModel m = model();
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> length(texts.get(i))));
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < order.length; from += batchSize) {
      int to = Math.min(order.length, from + batchSize);
      List<String> batch = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        String t = texts.get(order[k]);
        batch.add(t == null ? "" : t);
      }
      List<float[]> vectors = embedBatch(m, batch);
      for (int k = from; k < to; k++) {
        out[order[k]] = vectors.get(k - from);
      }
    }
    return Arrays.asList(out);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  private static List<float[]> embedBatch(MiniLmModel m, List<String> batch) {
    try {
      return m.embedBatch(batch);
    } catch (Exception e) {
      // No cause: tokenizer and runtime messages may quote the input.
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the local embedding model failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private MiniLmModel model() {
    MiniLmModel m = model;
    if (m != null) {
      return m;
    }
    synchronized (lock) {
      if (closed) {
        throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the local embedder is closed");
      }
      if (model == null) {
        model = SharedMiniLm.PROCESS.acquire(cacheDir);
      }
      return model;
    }
  }

  /** Releases this instance's hold on the shared model (closed with the last holder). */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (model != null) {
        SharedMiniLm.PROCESS.release(model);
        model = null;
      }
    }
  }
}
