package dev.lensgate.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Per-key token bucket. Each API key id gets its own bucket (capacity = burst, refilled at
 * {@code requestsPerSecond}); buckets of idle keys expire. {@link #unlimited()} is a no-op object so
 * the hot path carries no "is it enabled" branch.
 */
public interface RateLimiter {
  /** Takes one token for {@code keyId} or throws {@code 429 rate_limited} with the wait in seconds. */
  void acquire(String keyId);

  static RateLimiter unlimited() {
    return keyId -> { };
  }

  static RateLimiter perKey(long requestsPerSecond, long burst, TimeMeter time) {
    return new TokenBuckets(requestsPerSecond, burst, time);
  }

  /** Thrown for 429; carries the {@code Retry-After} value. */
  final class RateLimitedException extends LensgateException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    RateLimitedException(long retryAfterSeconds) {
      super(ErrorCode.RATE_LIMITED, "rate limit exceeded for this key; retry after " + retryAfterSeconds + " s");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() { return retryAfterSeconds; }
  }

  /** The real limiter. */
  final class TokenBuckets implements RateLimiter {
    private final long requestsPerSecond;
    private final long burst;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
        .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(1_000_000).build();

    TokenBuckets(long requestsPerSecond, long burst, TimeMeter time) {
      if (requestsPerSecond <= 0 || burst < requestsPerSecond) {
        throw new IllegalArgumentException("rate limit needs requestsPerSecond > 0 and burst >= requestsPerSecond");
      }
      this.requestsPerSecond = requestsPerSecond;
      this.burst = burst;
      this.time = time;
    }

    @Override
    public void acquire(String keyId) {
      Bucket bucket = buckets.get(keyId, k -> Bucket.builder()
          .addLimit(l -> l.capacity(burst).refillGreedy(requestsPerSecond, Duration.ofSeconds(1)))
          .withCustomTimePrecision(time)
          .build());
      ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        throw new RateLimitedException(seconds);
      }
    }
  }
}
