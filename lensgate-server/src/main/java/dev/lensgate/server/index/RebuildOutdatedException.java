package dev.lensgate.server.index;

/**
 * A rebuild was about to be swapped in, but the lens's shape ({@link SchemaFingerprint}) changed
 * while it ran: its documents were written for the old shape, so it was discarded and the current
 * generation keeps serving. A new rebuild with the current config is needed.
 */
public final class RebuildOutdatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RebuildOutdatedException() {
    super("the lens shape changed during the rebuild; the rebuild was discarded");
  }
}
