package dev.lensgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reconnect delays: doubling ceilings, full jitter below them, a hard cap, reset. */
class StreamBackoffTest {

  /** A random that always answers {@code value}: shows the ceiling (just under 1) or the floor (0). */
  private static Random fixed(double value) {
    return new Random() {
      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void next_doublesUpToTheCap_thenStays() {
    StreamBackoff b = new StreamBackoff(Duration.ofMillis(250), Duration.ofSeconds(30), fixed(0.999999999));
    long[] expected = {250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (long e : expected) {
      assertThat(b.next().toMillis()).isEqualTo(e);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(b.next().toMillis()).isEqualTo(30000); // no overflow after many attempts
    }
  }

  @Test
  void next_isJitteredDownToZero_andResetStartsOver() {
    assertThat(new StreamBackoff(Duration.ofMillis(250), Duration.ofSeconds(30), fixed(0)).next()).isZero();
    StreamBackoff b = new StreamBackoff(Duration.ofMillis(250), Duration.ofSeconds(30), fixed(0.999999999));
    b.next();
    b.next();
    b.reset();
    assertThat(b.next().toMillis()).isEqualTo(250);
  }

  @Test
  void next_withRealRandom_staysWithinTheCeiling() {
    StreamBackoff b = new StreamBackoff(Duration.ofMillis(250), Duration.ofSeconds(30), new Random(7));
    for (int attempt = 0; attempt < 20; attempt++) {
      long ceiling = Math.min(30_000, 250L << attempt);
      assertThat(b.next().toMillis()).isBetween(0L, ceiling);
    }
  }
}
