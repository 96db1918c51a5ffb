package dev.lensgate.client;

/**
 * The {@code meta} of a search or similar answer.
 *
 * @param lens the lens that answered
 * @param query the search text, null for {@code similar}
 * @param mode the mode used ({@code semantic}, {@code keyword}, {@code hybrid}), null if not sent
 * @param count results in the answer
 * @param durationMs the gateway's time for the call
 */
public record SearchMeta(String lens, String query, String mode, int count, long durationMs) {}
