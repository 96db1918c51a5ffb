package dev.lensgate.server.stream;

import java.util.Map;
import java.util.Objects;

/**
 * A change as one subscriber sees it. {@code row} is the stored row (declared fields, unshaped):
 * the new row for an insert or update, the row the subscriber last saw for a delete; the socket
 * layer shapes it and sends only the primary key of a delete.
 *
 * @param publishedNanos {@link System#nanoTime()} when the hub received the change (latency metric)
 */
public record StreamEvent(Kind kind, String id, Map<String, Object> row, long publishedNanos) {
  public enum Kind { INSERT, UPDATE, DELETE }

  public StreamEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(row, "row");
  }
}
