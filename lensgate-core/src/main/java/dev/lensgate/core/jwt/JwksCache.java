package dev.lensgate.core.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current key set and decides when it may be fetched again.
 *
 * <p>Invariant: fetch attempts (successful or not) are at least {@link #minRefetchInterval} apart,
 * except the very first one. This bounds the load an attacker can put on the issuer by sending
 * tokens with made-up {@code kid}s: at most one fetch per interval, whatever the request rate. A
 * set older than {@link #maxAge} is refreshed on the next use; when that fails the old set stays.
 */
final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

  private final JwksSource source;
  private final Clock clock;
  private final Duration minRefetchInterval;
  private final Duration maxAge;
  private final Object lock = new Object();
  private volatile JWKSet keys;
  private volatile Instant loadedAt;
  private volatile Instant lastAttempt;

  JwksCache(JwksSource source, Clock clock, Duration minRefetchInterval, Duration maxAge) {
    this.source = source;
    this.clock = clock;
    this.minRefetchInterval = minRefetchInterval;
    this.maxAge = maxAge;
  }

  /** The current set, loading or refreshing it first when it is missing or old. May be null. */
  JWKSet current() {
    JWKSet set = keys;
    if (set == null || clock.instant().isAfter(loadedAt.plus(maxAge))) {
      refreshIfAllowed(set);
      set = keys;
    }
    return set;
  }

  /**
   * Called on a key miss: fetches again unless the last attempt was within the refetch interval.
   *
   * @param seen the set the miss was found in, so concurrent misses cause one fetch, not many
   * @return the set to retry with (the same one when no fetch happened)
   */
  JWKSet refreshAfterMiss(JWKSet seen) {
    refreshIfAllowed(seen);
    return keys;
  }

  private void refreshIfAllowed(JWKSet seen) {
    synchronized (lock) {
      if (keys != seen) {
        return; // another thread already replaced it
      }
      Instant now = clock.instant();
      if (lastAttempt != null && now.isBefore(lastAttempt.plus(minRefetchInterval))) {
        return;
      }
      lastAttempt = now;
      try {
        keys = JWKSet.parse(source.fetch());
        loadedAt = now;
      } catch (IOException | ParseException | RuntimeException e) {
        // The source's message may name a URL but never a secret; keep the old set.
        LOG.warn("could not load the user-token JWKS ({})", e.getClass().getSimpleName());
      }
    }
  }
}
