package dev.lensgate.server.store;

import java.util.Locale;

/** The lifecycle of one lens's index: {@code paused → indexing → ready | error}, or {@code disconnected}. */
public enum IndexState {
  PAUSED, INDEXING, READY, ERROR, DISCONNECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static IndexState fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
