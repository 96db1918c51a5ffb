package dev.lensgate.server.store;

import java.time.Instant;

/** An environment of an organization; its slug is written into its keys ({@code pk_<slug>_…}). */
public record Environment(String id, String orgId, String slug, Instant createdAt) {}
