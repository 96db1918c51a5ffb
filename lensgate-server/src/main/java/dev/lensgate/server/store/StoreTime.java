package dev.lensgate.server.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as the database keeps them (microseconds), so what is written reads back equal. */
final class StoreTime {
  private StoreTime() {}

  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
