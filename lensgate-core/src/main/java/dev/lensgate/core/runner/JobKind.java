package dev.lensgate.core.runner;

import java.util.Locale;
import java.util.Optional;

/** What a {@link RunnerFrame.Job} asks the runner to do (CONTRACT §7). */
public enum JobKind {
  /** One page of a lens read: {@code spec} is a {@code ReadSpec} in its wire form. */
  QUERY,
  /** A row count for a read spec's filter. */
  COUNT,
  /** A full read (sync): pages until done. */
  READ,
  /** A connectivity check of the source; no rows. */
  TEST;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code wire} exactly (lower case), or empty. */
  public static Optional<JobKind> fromWire(String wire) {
    for (JobKind k : values()) {
      if (k.wireName().equals(wire)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
