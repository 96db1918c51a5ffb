package dev.lensgate.server.store;

import java.util.Locale;
import java.util.Optional;

/** How a sync reads its lens from the source (issue 4, item 5). */
public enum SyncMode {
  /** Rebuild into a fresh index generation and swap at the end. */
  FULL,
  /** Rows whose change-tracking field advanced past the saved cursor. */
  INCREMENTAL,
  /** Full scan with content-hash dedup, then tombstones for ids gone from the source. */
  SMART,
  /** The ids buffered by the ingest webhook. */
  RECORDS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<SyncMode> fromWire(String s) {
    for (SyncMode m : values()) {
      if (m.wireName().equals(s)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
