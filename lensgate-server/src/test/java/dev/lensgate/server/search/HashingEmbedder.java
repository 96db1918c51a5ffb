package dev.lensgate.server.search;

import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic test embedder: a hashed bag of lower-cased words, each word adding +1 or -1 to
 * one of {@code dimensions} buckets, normalized to unit length (an empty text maps to the first
 * axis). Texts sharing words are close; no model involved. Counts calls and can be made to fail.
 */
public final class HashingEmbedder implements Embedder {
  private final int dimensions;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean failing;

  public HashingEmbedder(int dimensions) {
    this.dimensions = dimensions;
  }

  @Override
  public String id() {
    return "test:hashing:" + dimensions;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  public int calls() {
    return calls.get();
  }

  public void failing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    calls.incrementAndGet();
    if (failing) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "test embedder is down");
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(vector(t));
    }
    return out;
  }

  public float[] vector(String text) {
    float[] v = new float[dimensions];
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.isEmpty()) {
        continue;
      }
      int h = w.hashCode() * 0x9E3779B1;
      v[Math.floorMod(h, dimensions)] += (h & 0x100) == 0 ? 1f : -1f;
    }
    double sum = 0;
    for (float f : v) {
      sum += f * f;
    }
    if (sum == 0) {
      v[0] = 1f;
      return v;
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }
}
