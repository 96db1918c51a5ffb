package dev.lensgate.core.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a page ended: the last row's values of every {@code orderBy} key (primary key included),
 * normalized (see {@link dev.lensgate.core.where.FieldValues}); an element is {@code null} when
 * that row's field was NULL. The next page starts strictly after this position.
 */
public record KeysetPosition(List<Object> values) {
  public KeysetPosition {
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }
}
