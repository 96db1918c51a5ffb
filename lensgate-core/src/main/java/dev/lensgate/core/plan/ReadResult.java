package dev.lensgate.core.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a read: rows keyed by lens field names holding only the selected (or all declared)
 * fields in declaration order, values normalized (see
 * {@link dev.lensgate.core.where.FieldValues}); {@code nextCursor} is present iff more rows exist.
 */
public record ReadResult(List<Map<String, Object>> rows, Optional<String> nextCursor) {
  public ReadResult {
    rows = List.copyOf(rows);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
