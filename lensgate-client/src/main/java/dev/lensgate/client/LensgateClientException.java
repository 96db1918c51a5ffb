package dev.lensgate.client;

/**
 * Base of every exception the client throws for a failed call. Catch this to handle all of them.
 *
 * <p>Security: no message of this hierarchy ever contains the API key or the user token; messages
 * the server sends are scrubbed of both before they are stored.
 */
public abstract sealed class LensgateClientException extends RuntimeException
    permits LensgateApiException, LensgateTransportException, RowMappingException {

  LensgateClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
