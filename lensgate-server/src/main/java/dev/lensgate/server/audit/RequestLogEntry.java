package dev.lensgate.server.audit;

import java.time.Instant;

/**
 * One request-log row. Deliberately narrow: no bodies, no query strings, no header values, no
 * row contents — only what an operator needs to trace a request.
 *
 * @param envId environment of the calling key, or null when authentication failed
 * @param keyId id of the calling key (never the key), or null
 * @param route the route template (e.g. {@code POST /v1/query/{lens}}), never the raw path
 */
public record RequestLogEntry(String requestId, String envId, String keyId, String route, int status,
    long durationMicros, Instant created) {}
