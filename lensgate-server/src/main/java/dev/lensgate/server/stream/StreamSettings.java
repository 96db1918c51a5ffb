package dev.lensgate.server.stream;

import dev.lensgate.server.EnvironmentValues;
import java.time.Duration;
import java.util.Map;

/**
 * Live-stream tunables, read from the gateway's environment like the runner's (no config-file
 * surface; a lens's own {@code maxLiveSubscriptions} caps that lens further).
 *
 * @param maxSubscriptionsPerSocket live subscriptions one socket may hold
 * @param maxSubscriptionsPerKey live subscriptions one API key may hold across all its sockets
 * @param maxLiveSubscriptionsPerLens default per-lens cap (per environment) when the lens sets none
 * @param maxQueuedFrames frames one socket may have waiting to be written before it is a slow consumer
 * @param maxQueuedChars characters (≈ bytes of the JSON text) one socket may have waiting
 * @param maxFrameBytes largest client frame answered normally; larger ones get {@code frame_too_large}
 * @param pingInterval how often the gateway pings an idle socket (the idle timeout is twice this)
 * @param watchInterval how often open subscriptions are checked against the active config
 */
public record StreamSettings(int maxSubscriptionsPerSocket, int maxSubscriptionsPerKey, int maxLiveSubscriptionsPerLens,
    int maxQueuedFrames, long maxQueuedChars, int maxFrameBytes, Duration pingInterval, Duration watchInterval) {
  public static final String MAX_PER_SOCKET = "LENSGATE_STREAM_MAX_SUBSCRIPTIONS_PER_SOCKET";
  public static final String MAX_PER_KEY = "LENSGATE_STREAM_MAX_SUBSCRIPTIONS_PER_KEY";
  public static final String MAX_PER_LENS = "LENSGATE_STREAM_MAX_LIVE_SUBSCRIPTIONS_PER_LENS";
  public static final String MAX_QUEUED_FRAMES = "LENSGATE_STREAM_MAX_QUEUED_FRAMES";
  public static final String MAX_QUEUED_CHARS = "LENSGATE_STREAM_MAX_QUEUED_CHARS";
  public static final String PING_SECONDS = "LENSGATE_STREAM_PING_SECONDS";

  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

  public StreamSettings {
    positive(maxSubscriptionsPerSocket, "subscriptions per socket");
    positive(maxSubscriptionsPerKey, "subscriptions per key");
    positive(maxLiveSubscriptionsPerLens, "live subscriptions per lens");
    positive(maxQueuedFrames, "queued frames");
    if (maxQueuedChars < maxFrameBytes) {
      throw new IllegalArgumentException("the stream send queue must hold at least one frame");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("stream frames must be allowed at least 1 KiB");
    }
    if (pingInterval.toSeconds() < 1 || watchInterval.toMillis() < 10) {
      throw new IllegalArgumentException("stream ping interval must be at least 1 s, watch interval 10 ms");
    }
  }

  public static StreamSettings defaults() {
    return from(Map.of());
  }

  /** Defaults (100 per socket, 1,000 per key, 10,000 per lens, 1,024 frames / 4 MiB queued, 25 s pings). */
  public static StreamSettings from(Map<String, String> env) {
    return new StreamSettings(
        (int) EnvironmentValues.wholeNumber(env, MAX_PER_SOCKET, 100),
        (int) EnvironmentValues.wholeNumber(env, MAX_PER_KEY, 1_000),
        (int) EnvironmentValues.wholeNumber(env, MAX_PER_LENS, 10_000),
        (int) EnvironmentValues.wholeNumber(env, MAX_QUEUED_FRAMES, 1_024),
        EnvironmentValues.wholeNumber(env, MAX_QUEUED_CHARS, 4L * 1024 * 1024),
        DEFAULT_MAX_FRAME_BYTES,
        Duration.ofSeconds(EnvironmentValues.wholeNumber(env, PING_SECONDS, 25)),
        Duration.ofMillis(250));
  }

  private static void positive(long v, String what) {
    if (v < 1 || v > 10_000_000) {
      throw new IllegalArgumentException("stream " + what + " must be 1..10,000,000");
    }
  }
}
