package dev.lensgate.client;

/** The answer of {@code GET /v1/health}. */
public record Health(String status, String version) {}
