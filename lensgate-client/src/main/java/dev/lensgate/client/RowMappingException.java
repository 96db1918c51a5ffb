package dev.lensgate.client;

/**
 * A row arrived but does not fit the type it was asked to map to (a missing constructor, a text
 * value for a number field, ...). The row index and the field path are in the message; the cause
 * is Jackson's exception.
 */
public final class RowMappingException extends LensgateClientException {

  RowMappingException(String message, Throwable cause) {
    super(message, cause);
  }
}
