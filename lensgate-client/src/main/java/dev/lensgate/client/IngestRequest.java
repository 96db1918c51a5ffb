package dev.lensgate.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/ingest/:lens} (needs an {@code sk_} or {@code ik_} key). Immutable.
 *
 * <pre>{@code
 * IngestRequest.records(List.of(IngestChange.upsert(42), IngestChange.delete(7)))
 * }</pre>
 */
public final class IngestRequest {
  /** The contract's maximum number of changes in one request. */
  public static final int MAX_CHANGES = 10_000;

  private final IngestMode mode;
  private final List<IngestChange> changes; // null: not sent

  private IngestRequest(IngestMode mode, List<IngestChange> changes) {
    this.mode = mode;
    this.changes = changes;
  }

  public static IngestRequest full() {
    return new IngestRequest(IngestMode.FULL, null);
  }

  public static IngestRequest incremental() {
    return new IngestRequest(IngestMode.INCREMENTAL, null);
  }

  /** Exactly these rows: 1 to {@value #MAX_CHANGES} changes. */
  public static IngestRequest records(Collection<IngestChange> changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("records mode needs at least one change");
    }
    return of(IngestMode.RECORDS, changes);
  }

  /** Any mode with an explicit change list (at most {@value #MAX_CHANGES}). */
  public static IngestRequest of(IngestMode mode, Collection<IngestChange> changes) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(changes, "changes");
    if (changes.size() > MAX_CHANGES) {
      // Checked before copying: the gateway would answer 400 too_many_changes anyway.
      throw new IllegalArgumentException(
          "at most " + MAX_CHANGES + " changes per request, was " + changes.size());
    }
    return new IngestRequest(mode, List.copyOf(changes));
  }

  Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", mode.wire());
    if (changes != null) {
      List<Object> list = new ArrayList<>(changes.size());
      for (IngestChange c : changes) {
        list.add(c.toBody());
      }
      body.put("changes", list);
    }
    return Collections.unmodifiableMap(body);
  }

  @Override
  public String toString() {
    return "IngestRequest[mode=" + mode.wire()
        + (changes == null ? "" : ", changes=" + changes.size()) + "]";
  }
}
