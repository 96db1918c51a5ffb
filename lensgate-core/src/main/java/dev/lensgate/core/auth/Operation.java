package dev.lensgate.core.auth;

import java.util.Locale;
import java.util.Optional;

/** The data-plane operations a grant or a scope can name. */
public enum Operation {
  SEARCH, SIMILAR, QUERY, SUBSCRIBE, INGEST;

  public String wireName() { return name().toLowerCase(Locale.ROOT); }

  public static Optional<Operation> fromWire(String s) {
    for (Operation o : values()) {
      if (o.wireName().equals(s)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
