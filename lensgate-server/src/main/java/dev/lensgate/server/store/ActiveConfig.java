package dev.lensgate.server.store;

import java.time.Instant;

/** The configuration an environment currently runs. */
public record ActiveConfig(String envId, String hash, String yaml, Instant pushedAt) {}
