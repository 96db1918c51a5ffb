package dev.lensgate.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.crypto.MasterKeys;
import dev.lensgate.core.keys.KeyHasher;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.keys.PartnerSecretHasher;
import dev.lensgate.server.store.ApiKeyService;
import dev.lensgate.server.store.CreatedRunner;
import dev.lensgate.server.store.MetadataStore;
import dev.lensgate.server.store.RunnerStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a revoked runner keeps its socket: from {@code runners revoke} ({@link RunnerStore#revoke},
 * which revokes the runner's key) to the socket's end as the real runner sees it (its connection
 * loop reports the disconnect) and as the gateway sees it (the session is unregistered), N times
 * each way: revoked through the gateway's own store (its revocation bus) and through a second store
 * handle with its own bus, as the CLI in another process does (the gateway then learns it from its
 * revocation poller). Prints p50 and max; asserts only a generous liveness bound — figures belong
 * in the notes, not in assertions. One gateway for the class; each measurement has its own runner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunnerRevocationTimingTest {
  private static final int N = 20;
  private static final long LIVENESS_BOUND_MILLIS = 2000;

  @TempDir static Path dir;
  private E2eGateway gw;

  @BeforeAll
  void setUp() {
    gw = E2eGateway.start(dir.resolve("data"), Map.of());
  }

  @AfterAll
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void revokeThroughTheGatewaysStore_runnerAndGatewaySeeTheSocketCloseWithinLivenessBound() throws Exception {
    measure("local", "rev-local-", id -> gw.gateway().runners().revoke(id));
  }

  @Test
  void revokeThroughAnotherStoreHandle_revocationPollerClosesTheSocketWithinLivenessBound() throws Exception {
    Clock clock = Clock.systemUTC();
    Path dataDir = dir.resolve("data");
    try (MetadataStore other = MetadataStore.openFromEnvironment(dataDir, Map.of(), clock)) {
      // What the CLI builds: its own revocation bus, which no gateway listens to.
      ApiKeyService keys = new ApiKeyService(other.dataSource(), new KeyHasher(MasterKeys.load(dataDir, Map.of())),
          PartnerSecretHasher.bcrypt(), new KeyRevocations(), clock);
      RunnerStore runners = new RunnerStore(other.dataSource(), keys, clock);
      measure("other store handle (poller)", "rev-poller-", runners::revoke);
    }
  }

  private void measure(String path, String namePrefix, Consumer<String> revoke) throws Exception {
    List<Long> runnerMicros = new ArrayList<>();
    List<Long> gatewayMicros = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      String name = namePrefix + i;
      CreatedRunner created = gw.createRunner(name);
      String id = created.info().id();
      try (InProcessRunner runner = InProcessRunner.startOnline(gw.port(), name, created.token().revealUtf8(), Map.of())) {
        Waits.awaitTrue(Duration.ofSeconds(5), () -> gw.gateway().runnerSessions().openSessions(id) == 1, "session registered");
        long revoked = System.nanoTime();
        revoke.accept(id);
        long gatewayClosed = awaitNanos(Duration.ofSeconds(10), () -> gw.gateway().runnerSessions().openSessions(id) == 0);
        String code = runner.refused.get(10, TimeUnit.SECONDS);
        long runnerClosed = runner.disconnectedAtNanos.get(10, TimeUnit.SECONDS);
        assertThat(code).isEqualTo("key_revoked");
        assertThat(runner.retryDelays).as("no quick redial").containsExactly(InProcessRunner.REFUSED_DELAY);
        runnerMicros.add(TimeUnit.NANOSECONDS.toMicros(runnerClosed - revoked));
        gatewayMicros.add(TimeUnit.NANOSECONDS.toMicros(gatewayClosed - revoked));
      }
    }
    long runnerMax = Collections.max(runnerMicros);
    long gatewayMax = Collections.max(gatewayMicros);
    System.out.printf("runner key revoked (%s, N=%d) -> socket closed: seen by the runner p50 %.1f ms, max %.1f ms;"
            + " seen by the gateway p50 %.1f ms, max %.1f ms; all under 1 s: %s%n",
        path, N, p50(runnerMicros) / 1000.0, runnerMax / 1000.0, p50(gatewayMicros) / 1000.0, gatewayMax / 1000.0,
        Math.max(runnerMax, gatewayMax) < 1_000_000);
    assertThat(runnerMax / 1000).as("liveness bound, ms (runner)").isLessThanOrEqualTo(LIVENESS_BOUND_MILLIS);
    assertThat(gatewayMax / 1000).as("liveness bound, ms (gateway)").isLessThanOrEqualTo(LIVENESS_BOUND_MILLIS);
  }

  /** Busy-waits (0.1 ms steps) for {@code condition}; returns the {@code nanoTime} it became true. */
  private static long awaitNanos(Duration max, java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + max.toMillis() + " ms");
      }
      LockSupport.parkNanos(100_000);
    }
    return System.nanoTime();
  }

  private static long p50(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }
}
