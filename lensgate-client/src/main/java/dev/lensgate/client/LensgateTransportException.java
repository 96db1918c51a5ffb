package dev.lensgate.client;

/**
 * No usable answer arrived: the connection failed, the call timed out or was interrupted, or the
 * gateway's successful answer could not be read (too large, not the documented JSON shape).
 * Whether the server acted on the request is unknown.
 */
public final class LensgateTransportException extends LensgateClientException {

  private final boolean timeout;

  private LensgateTransportException(String message, Throwable cause, boolean timeout) {
    super(message, cause);
    this.timeout = timeout;
  }

  static LensgateTransportException timedOut(String call, java.time.Duration timeout, Throwable cause) {
    return new LensgateTransportException(call + ": no complete answer within " + timeout, cause, true);
  }

  static LensgateTransportException failed(String call, String what, Throwable cause) {
    return new LensgateTransportException(call + ": " + what, cause, false);
  }

  /** True when the call ran out of its time budget (connect, headers or body). */
  public boolean isTimeout() {
    return timeout;
  }
}
