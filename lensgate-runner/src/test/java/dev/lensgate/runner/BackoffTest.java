package dev.lensgate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** A Random whose nextDouble is fixed, so the jitter bounds are exact. */
  private static Random fixed(double value) {
    return new Random() {
      private static final long serialVersionUID = 1L;

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void next_maximalJitter_doublesFromBaseUntilCap() {
    Backoff b = Backoff.standard(fixed(0.999999999));
    long[] expected = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
    for (long ms : expected) {
      assertThat(b.next().toMillis()).isEqualTo(ms);
    }
  }

  @Test
  void next_zeroJitter_isZero() {
    Backoff b = Backoff.standard(fixed(0.0));
    for (int i = 0; i < 10; i++) {
      assertThat(b.next()).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  void next_randomJitter_alwaysWithinCeiling() {
    Backoff b = Backoff.standard(new Random(42));
    long previousCeiling = 0;
    for (int i = 0; i < 200; i++) {
      long ceiling = b.ceiling().toMillis();
      assertThat(ceiling).isBetween(previousCeiling, 60_000L);
      assertThat(b.next().toMillis()).isBetween(0L, ceiling);
      previousCeiling = ceiling;
    }
  }

  @Test
  void next_manyAttempts_neverOverflowsPastCap() {
    Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofDays(365), fixed(0.999999999));
    Duration last = Duration.ZERO;
    for (int i = 0; i < 100; i++) {
      last = b.next();
      assertThat(last).isPositive();
    }
    assertThat(last.toMillis()).isLessThanOrEqualTo(Duration.ofDays(365).toMillis());
  }

  @Test
  void reset_startsAgainFromBase() {
    Backoff b = Backoff.standard(fixed(0.999999999));
    b.next();
    b.next();
    b.next();
    b.reset();
    assertThat(b.next().toMillis()).isEqualTo(1000);
  }

  @Test
  void constructor_badBounds_rejected() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
