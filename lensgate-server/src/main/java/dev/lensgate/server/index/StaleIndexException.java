package dev.lensgate.server.index;

/**
 * A stored document cannot be read with the lens's current shape (written for other field
 * names or types, or unreadable): the index must be rebuilt before it can serve this lens. Search
 * answers such an index as stale (empty results) rather than failing; sync rebuilds it.
 */
public final class StaleIndexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StaleIndexException(Throwable cause) {
    super("the index was written for another shape of this lens; it must be rebuilt", cause);
  }
}
