package dev.lensgate.server.store;

import java.util.Optional;

/**
 * Outcome of a config push.
 *
 * @param changed false when the pushed text is byte-identical to the active config (nothing done)
 * @param hash SHA-256 (hex) of the pushed text's UTF-8 bytes
 * @param previousYaml the config that was active before, for printing a diff; empty on first push
 */
public record PushResult(boolean changed, String hash, Optional<String> previousYaml) {}
