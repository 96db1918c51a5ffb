package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LastUsedTrackerTest {
  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void touchManyTimes_oneFlush_writesLatestTimeOnce(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
      for (int i = 0; i < 1000; i++) {
        f.lastUsed.touch(k.id());
        f.clock.advance(Duration.ofMillis(1));
      }
      assertThat(f.keys.find(k.id()).orElseThrow().lastUsedAt()).as("no write before flush").isNull();
      Instant lastTouch = f.clock.instant().minus(Duration.ofMillis(1));
      assertThat(f.lastUsed.flush()).isEqualTo(1);
      assertThat(f.keys.find(k.id()).orElseThrow().lastUsedAt()).isEqualTo(lastTouch);
      assertThat(f.lastUsed.flush()).as("nothing pending").isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void flush_olderTimeThanStored_doesNotMoveBackwards(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
      Instant later = f.clock.instant().plus(Duration.ofHours(1));
      f.clock.set(later);
      f.lastUsed.touch(k.id());
      f.lastUsed.flush();
      f.clock.set(later.minus(Duration.ofMinutes(30)));
      f.lastUsed.touch(k.id());
      f.lastUsed.flush();
      assertThat(f.keys.find(k.id()).orElseThrow().lastUsedAt()).isEqualTo(later);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void close_flushesPending(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      CreatedKey k = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
      f.lastUsed.start();
      f.lastUsed.touch(k.id());
      f.lastUsed.close();
      assertThat(f.keys.find(k.id()).orElseThrow().lastUsedAt()).isEqualTo(f.clock.instant());
    }
  }
}
