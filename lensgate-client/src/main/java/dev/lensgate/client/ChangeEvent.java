package dev.lensgate.client;

import java.util.Objects;

/**
 * One change to a record a subscription can see, as the gateway sent it.
 *
 * @param lens the lens of the subscription
 * @param kind what happened to the record
 * @param record the record after the change, with the lens's declared fields the subscriber may
 *     read; for {@link Kind#DELETE} only the primary key (the gateway reveals nothing more of a row
 *     that is gone)
 */
public record ChangeEvent(String lens, Kind kind, Row record) {

  /** What happened to the record. */
  public enum Kind {
    /** A record the subscription can see appeared (created, or changed so that it now matches). */
    INSERT("insert"),
    /** A visible record changed and still matches. */
    UPDATE("update"),
    /** A visible record was deleted, or changed so that it no longer matches. */
    DELETE("delete");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** The kind as it appears on the wire. */
    public String wire() {
      return wire;
    }

    /** The kind for a wire name, or null when the name is unknown. */
    static Kind ofWire(String wire) {
      for (Kind k : values()) {
        if (k.wire.equals(wire)) {
          return k;
        }
      }
      return null;
    }
  }

  public ChangeEvent {
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(record, "record");
  }
}
