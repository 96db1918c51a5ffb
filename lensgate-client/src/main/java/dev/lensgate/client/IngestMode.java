package dev.lensgate.client;

/** What an ingest job re-reads from the source. */
public enum IngestMode {
  /** Everything the lens maps. */
  FULL("full"),
  /** What changed since the last sync. */
  INCREMENTAL("incremental"),
  /** Exactly the rows named in the request's changes. */
  RECORDS("records");

  private final String wire;

  IngestMode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
