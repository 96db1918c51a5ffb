package dev.lensgate.server.sync;

import dev.lensgate.core.embed.Embedder;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic embedder for tests: each text's vector is derived from its SHA-256 and
 * normalized to unit length. Counts calls and texts, and can be told to fail like a real one
 * ({@code EMBEDDING_FAILED}).
 */
public final class FakeEmbedder implements Embedder {
  public static final int DIMENSIONS = 8;
  private final String id;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong texts = new AtomicLong();
  private volatile boolean failing;
  private volatile long delayMillis;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

  public FakeEmbedder(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  public long calls() {
    return calls.get();
  }

  public long texts() {
    return texts.get();
  }

  /** Each call sleeps this long (to hold a sync open). */
  public void delay(long millis) {
    this.delayMillis = millis;
  }

  /** The most calls that were in progress at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  public void failing(boolean fail) {
    this.failing = fail;
  }

  @Override
  public List<float[]> embed(List<String> input) {
    calls.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "interrupted");
    } finally {
      inFlight.decrementAndGet();
    }
    if (failing) {
      throw new LensgateException(ErrorCode.EMBEDDING_FAILED, "the fake embedder is down");
    }
    texts.addAndGet(input.size());
    List<float[]> out = new ArrayList<>(input.size());
    for (String text : input) {
      out.add(vector(text));
    }
    return out;
  }

  static float[] vector(String text) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    float[] v = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] = (h[i] & 0xff) - 127.5f;
      norm += v[i] * v[i];
    }
    float n = (float) Math.sqrt(norm);
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] /= n;
    }
    return v;
  }
}
