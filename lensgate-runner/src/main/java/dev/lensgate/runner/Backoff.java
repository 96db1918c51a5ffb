package dev.lensgate.runner;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Reconnect delays: exponential with full jitter — attempt {@code n} waits a uniformly random time
 * in {@code [0, min(cap, base * 2^n)]} — so a fleet of runners cut off by one gateway restart does
 * not reconnect in lock-step. {@link #reset()} after a session that reached {@code hello}.
 *
 * <p>Not thread-safe: one connection loop owns it.
 */
public final class Backoff {
  public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(60);
  private static final int MAX_SHIFT = 30;

  private final long baseMillis;
  private final long capMillis;
  private final Random random;
  private int attempt;

  public Backoff(Duration base, Duration cap, Random random) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = Objects.requireNonNull(random, "random");
    if (baseMillis < 1 || capMillis < baseMillis) {
      throw new IllegalArgumentException("backoff needs 1 ms <= base <= cap");
    }
  }

  /** Base 1 s, cap 60 s. */
  public static Backoff standard(Random random) {
    return new Backoff(DEFAULT_BASE, DEFAULT_CAP, random);
  }

  /** The ceiling of the next delay, before jitter. */
  Duration ceiling() {
    long ceiling = baseMillis << Math.min(attempt, MAX_SHIFT);
    return Duration.ofMillis(ceiling < 0 || ceiling > capMillis ? capMillis : ceiling);
  }

  /** The delay before the next attempt; each call counts one more failed attempt. */
  public Duration next() {
    long ceiling = ceiling().toMillis();
    attempt = Math.min(attempt + 1, MAX_SHIFT);
    return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
  }

  public void reset() {
    attempt = 0;
  }
}
