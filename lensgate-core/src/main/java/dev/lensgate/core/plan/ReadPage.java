package dev.lensgate.core.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a source returned for one {@link ReadSpec}, before any cursor is signed: rows shaped to the
 * selected fields, and the keyset position of the last row when more rows exist. Carries no
 * secret, so a runner can produce it; the gateway turns it into a {@link ReadResult}.
 */
public record ReadPage(List<Map<String, Object>> rows, Optional<KeysetPosition> next) {
  public ReadPage {
    rows = List.copyOf(rows);
    Objects.requireNonNull(next, "next");
  }
}
