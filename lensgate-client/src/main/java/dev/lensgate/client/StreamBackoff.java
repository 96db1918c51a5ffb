package dev.lensgate.client;

import java.time.Duration;
import java.util.Random;

/**
 * Reconnect delays for the stream socket: exponential with full jitter — attempt {@code n} waits
 * a uniformly random time in {@code [0, min(cap, base * 2^n)]} — so many clients cut off by one
 * gateway restart do not come back in lock-step. {@link #reset()} after a session that worked.
 *
 * <p>Not thread-safe: the owning connection calls it under its lock.
 */
final class StreamBackoff {
  static final Duration DEFAULT_BASE = Duration.ofMillis(250);
  static final Duration DEFAULT_CAP = Duration.ofSeconds(30);
  private static final int MAX_SHIFT = 30;

  private final long baseMillis;
  private final long capMillis;
  private final Random random;
  private int attempt;

  StreamBackoff(Duration base, Duration cap, Random random) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one more failed attempt. */
  Duration next() {
    long ceiling = baseMillis << Math.min(attempt, MAX_SHIFT);
    if (ceiling <= 0 || ceiling > capMillis) {
      ceiling = capMillis;
    }
    attempt = Math.min(attempt + 1, MAX_SHIFT);
    return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
  }

  long capMillis() {
    return capMillis;
  }

  void reset() {
    attempt = 0;
  }
}
