package dev.lensgate.server.stream;

/**
 * Why the hub itself ended a registration (never used when the registration's owner closed it).
 * {@link #code()} is the wire code a socket can put in its {@code closed} frame.
 */
public enum StreamEnd {
  /** The sink or the matcher threw; the registration is dropped so other subscribers go on. */
  SINK_FAILED("internal_error"),
  /**
   * The hub could not queue a change within its bounded wait (or the feeding thread was
   * interrupted): subscribers of that lens would have missed it, so their streams end rather than
   * silently skip an event. A client resubscribes.
   */
  OVERLOADED("overloaded"),
  /** The hub was closed (gateway shutting down): the same code the sockets close with then. */
  HUB_CLOSED(StreamCodes.SHUTDOWN);

  private final String code;

  StreamEnd(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
