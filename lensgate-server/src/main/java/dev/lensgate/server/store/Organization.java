package dev.lensgate.server.store;

import java.time.Instant;

/** An organization: owns environments and runner ({@code rk_}) keys. */
public record Organization(String id, String slug, Instant createdAt) {}
