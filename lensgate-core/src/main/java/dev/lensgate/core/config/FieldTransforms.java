package dev.lensgate.core.config;

import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A field's transform chain, applied in declaration order when rows are shaped. Immutable and
 * thread-safe. {@link #apply} never throws: the steps are total by contract, and a defect in one is
 * contained here (logged without the value; the field becomes {@code null}) rather than failing the
 * request.
 */
public final class FieldTransforms {
  private static final Logger LOG = LoggerFactory.getLogger(FieldTransforms.class);
  private static final FieldTransforms NONE = new FieldTransforms(List.of());

  private final List<Transform> steps;

  private FieldTransforms(List<Transform> steps) {
    this.steps = steps;
  }

  public static FieldTransforms of(List<Transform> steps) {
    return steps.isEmpty() ? NONE : new FieldTransforms(List.copyOf(steps));
  }

  /** The identity chain. */
  public static FieldTransforms none() {
    return NONE;
  }

  public List<Transform> steps() {
    return steps;
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** Runs the chain over one value read from the source. */
  public Object apply(Object value) {
    Object v = value;
    for (Transform t : steps) {
      try {
        v = t.apply(v);
      } catch (RuntimeException e) {
        LOG.warn("transform {} failed ({}); value replaced by null", t.wireName(), e.getClass().getSimpleName());
        return null;
      }
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldTransforms && ((FieldTransforms) o).steps.equals(steps);
  }

  @Override
  public int hashCode() {
    return steps.hashCode();
  }

  @Override
  public String toString() {
    return steps.stream().map(Transform::wireName).collect(Collectors.joining(", ", "[", "]"));
  }
}
