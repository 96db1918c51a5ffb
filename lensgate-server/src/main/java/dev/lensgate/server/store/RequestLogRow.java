package dev.lensgate.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One request-log row, and all a row may hold: no bodies, no query values, no header values.
 *
 * @param envId null when the request was not authenticated
 * @param keyId the key's id (never the key), or null
 * @param routeTemplate e.g. {@code POST /v1/query/{lens}}, never the raw path
 */
public record RequestLogRow(String requestId, String envId, String keyId, String routeTemplate, int status,
    long durationMs, Instant createdAt) {
  public RequestLogRow {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(routeTemplate, "routeTemplate");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
