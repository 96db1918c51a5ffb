package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RevocationLogRetentionTest {
  private StoreFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  private String key() {
    return f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of()).id();
  }

  private List<String> loggedKeyIds() {
    return RevocationLog.after(new Jdbc(f.store.dataSource()), 0, 1000).stream()
        .map(e -> e.revocation().keyId()).collect(Collectors.toList());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void sweep_deletesOnlyEntriesRecordedAndInEffectBeforeTheRetention(TestDatabase.Kind kind) {
    f = new StoreFixture(kind);
    RevocationLogRetention retention = new RevocationLogRetention(f.store.dataSource(), f.clock);
    String revokedLongAgo = key();
    f.keys.revoke(revokedLongAgo);
    String rotatedWithLongGrace = key();
    f.keys.rotate(rotatedWithLongGrace, Optional.of(Duration.ofDays(30)));
    f.clock.advance(Duration.ofDays(8));
    String revokedRecently = key();
    f.keys.revoke(revokedRecently);

    assertThat(retention.sweepExpired()).isEqualTo(1);
    assertThat(loggedKeyIds()).as("the grace rotation is not in effect yet; the recent one is young")
        .containsExactly(rotatedWithLongGrace, revokedRecently);
    assertThat(retention.sweepExpired()).as("idempotent").isZero();

    f.clock.advance(Duration.ofDays(30)); // the grace ended 8 days ago, the recent revocation is 30 days old
    assertThat(retention.sweepExpired()).isEqualTo(2);
    assertThat(loggedKeyIds()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void pollers_beforeAndAfterASweep_stillSeeEveryNewRevocation(TestDatabase.Kind kind) {
    f = new StoreFixture(kind);
    RevocationLogRetention retention = new RevocationLogRetention(f.store.dataSource(), f.clock);
    List<KeyRevocation> seenByOld = new CopyOnWriteArrayList<>();
    List<KeyRevocation> seenByNew = new CopyOnWriteArrayList<>();
    KeyRevocations oldBus = new KeyRevocations();
    oldBus.subscribe(seenByOld::add);
    KeyRevocations newBus = new KeyRevocations();
    newBus.subscribe(seenByNew::add);
    try (RevocationPoller old = new RevocationPoller(f.store.dataSource(), oldBus, RevocationPoller.DEFAULT_POLL_INTERVAL)) {
      f.keys.revoke(key());
      f.clock.advance(Duration.ofDays(8));
      assertThat(retention.sweepExpired()).isEqualTo(1); // the old poller never polled: its entry is gone
      try (RevocationPoller fresh = new RevocationPoller(f.store.dataSource(), newBus, RevocationPoller.DEFAULT_POLL_INTERVAL)) {
        String after = key();
        f.keys.revoke(after);
        assertThat(old.poll()).isEqualTo(1);
        assertThat(fresh.poll()).isEqualTo(1);
        assertThat(seenByOld).extracting(KeyRevocation::keyId).containsExactly(after);
        assertThat(seenByNew).extracting(KeyRevocation::keyId).containsExactly(after);
      }
    }
  }
}
