package dev.lensgate.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One changed row: re-read it ({@code upsert}) or drop it from the index ({@code delete}). */
public final class IngestChange {
  private final Object id; // String or Long: the row's primary key as the gateway expects it
  private final String action;

  private IngestChange(Object id, String action) {
    this.id = id;
    this.action = action;
  }

  public static IngestChange upsert(String id) {
    return new IngestChange(checkId(id), "upsert");
  }

  public static IngestChange upsert(long id) {
    return new IngestChange(id, "upsert");
  }

  public static IngestChange delete(String id) {
    return new IngestChange(checkId(id), "delete");
  }

  public static IngestChange delete(long id) {
    return new IngestChange(id, "delete");
  }

  Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("action", action);
    return body;
  }

  private static String checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is blank");
    }
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IngestChange other && id.equals(other.id) && action.equals(other.action);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, action);
  }

  @Override
  public String toString() {
    return action + "(" + id + ")";
  }
}
