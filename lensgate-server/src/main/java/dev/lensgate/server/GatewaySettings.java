package dev.lensgate.server;

import dev.lensgate.server.http.HttpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the gateway is started with. Immutable and validated here, so a bad setting fails at
 * start rather than on the first request.
 *
 * @param dataDir where the embedded metadata store and the master keyset live
 * @param environment process environment ({@code LENSGATE_DB_URL}, {@code LENSGATE_MASTER_KEY}, ...)
 * @param rateLimitPerSecond per-key sustained rate; 0 disables rate limiting
 * @param rateLimitBurst per-key burst (bucket capacity)
 * @param configRefresh how often configs pushed by another process are picked up
 */
public record GatewaySettings(Path dataDir, HttpSettings http, Map<String, String> environment,
    long rateLimitPerSecond, long rateLimitBurst, Duration configRefresh, String version) {

  public static final long DEFAULT_RATE_PER_SECOND = 100;
  public static final long DEFAULT_RATE_BURST = 200;

  public GatewaySettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(http, "http");
    environment = Map.copyOf(environment);
    if (rateLimitPerSecond < 0 || (rateLimitPerSecond > 0 && rateLimitBurst < rateLimitPerSecond)) {
      throw new IllegalArgumentException("rate limit burst must be at least the per-second rate");
    }
    if (configRefresh.isNegative()) {
      throw new IllegalArgumentException("configRefresh must not be negative");
    }
    Objects.requireNonNull(version, "version");
  }

  public static GatewaySettings defaults(Path dataDir, HttpSettings http, Map<String, String> environment, String version) {
    return new GatewaySettings(dataDir, http, environment, DEFAULT_RATE_PER_SECOND, DEFAULT_RATE_BURST,
        Duration.ofSeconds(2), version);
  }

  public GatewaySettings withRateLimit(long perSecond, long burst) {
    return new GatewaySettings(dataDir, http, environment, perSecond, burst, configRefresh, version);
  }
}
