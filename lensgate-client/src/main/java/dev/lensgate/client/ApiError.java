package dev.lensgate.client;

/** The decoded parts of an error answer, already scrubbed of secrets. {@code requestId} may be null. */
record ApiError(int status, String code, String message, String requestId) {

  String describe() {
    String text = "HTTP " + status + " " + code + ": " + message;
    return requestId == null ? text : text + " (requestId " + requestId + ")";
  }
}
