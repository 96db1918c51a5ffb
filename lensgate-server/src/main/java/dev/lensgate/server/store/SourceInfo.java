package dev.lensgate.server.store;

import java.time.Instant;

/** A managed source as listed: everything but the password. */
public record SourceInfo(String id, String envId, String name, String jdbcUrl, String user, Instant createdAt,
    Instant updatedAt) {}
