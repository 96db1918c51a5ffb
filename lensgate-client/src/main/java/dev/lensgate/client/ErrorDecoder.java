package dev.lensgate.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;

/**
 * Maps a non-2xx answer to the exception of its status, in one place. Reads the contract's
 * envelope {@code {"error":{"code","message","requestId"}}} when it is there; any other body
 * (a proxy's HTML page, plain text, truncated JSON) still yields the status's exception with code
 * {@code http_<status>}, and its text is not copied, since we cannot know what it echoes. Server
 * text that is copied is scrubbed of the key and token, stripped of control characters and capped.
 */
final class ErrorDecoder {
  private static final int MAX_MESSAGE_CHARS = 1000;
  private static final int MAX_CODE_CHARS = 64;
  private static final int MAX_REQUEST_ID_CHARS = 128;

  private final JsonTree json;
  private final Clock clock;

  ErrorDecoder(JsonTree json, Clock clock) {
    this.json = json;
    this.clock = clock;
  }

  LensgateApiException decode(HttpTransport.Reply reply, Credentials credentials) {
    int status = reply.status();
    JsonNode error = envelope(reply.body());
    String code = clean(text(error, "code"), MAX_CODE_CHARS, credentials);
    String message = clean(text(error, "message"), MAX_MESSAGE_CHARS, credentials);
    String requestId = clean(text(error, "requestId"), MAX_REQUEST_ID_CHARS, credentials);
    if (requestId == null) {
      requestId = clean(reply.requestId(), MAX_REQUEST_ID_CHARS, credentials);
    }
    if (code == null) {
      code = "http_" + status;
    }
    if (message == null) {
      message = error == null ? "HTTP " + status + " without a Lensgate error body" : "no message";
    }
    ApiError e = new ApiError(status, code, message, requestId);
    switch (status) {
      case 400:
        return new InvalidRequestException(e);
      case 401:
        return new AuthenticationException(e);
      case 403:
        return new PermissionDeniedException(e);
      case 404:
        return new NotFoundException(e);
      case 413:
        return new PayloadTooLargeException(e);
      case 429:
        return new RateLimitedException(
            e, RetryAfter.parse(reply.headers().firstValue("Retry-After").orElse(null), clock));
      case 502:
      case 503:
      case 504:
        return new UpstreamException(e);
      default:
        return new LensgateApiException(e);
    }
  }

  /** The {@code error} object, or null when the body is not the envelope. */
  private JsonNode envelope(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode root = json.read(body);
      JsonNode error = root == null ? null : root.get("error");
      return error != null && error.isObject() ? error : null;
    } catch (IOException | RuntimeException e) {
      return null; // not JSON, or truncated at the body limit
    }
  }

  private static String text(JsonNode error, String field) {
    if (error == null) {
      return null;
    }
    JsonNode v = error.get(field);
    return v != null && v.isTextual() && !v.textValue().isBlank() ? v.textValue() : null;
  }

  private static String clean(String s, int max, Credentials credentials) {
    if (s == null) {
      return null;
    }
    String scrubbed = credentials == null ? s : credentials.scrub(s);
    StringBuilder out = new StringBuilder(Math.min(scrubbed.length(), max));
    for (int i = 0; i < scrubbed.length() && out.length() < max; i++) {
      char c = scrubbed.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }
}
