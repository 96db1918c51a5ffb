package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.core.error.LensgateException;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RevocationPollerTest {
  private StoreFixture f;
  private SecondProcess other;
  /** The bus the poller publishes on; nothing else publishes here. */
  private final KeyRevocations polled = new KeyRevocations();
  private final List<KeyRevocation> seen = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeLast = new ArrayList<>();

  private void setUp(TestDatabase.Kind kind) {
    f = new StoreFixture(kind);
    other = new SecondProcess(f);
    polled.subscribe(seen::add);
  }

  private RevocationPoller poller() {
    RevocationPoller p = new RevocationPoller(f.store.dataSource(), polled, RevocationPoller.DEFAULT_POLL_INTERVAL);
    closeLast.add(p);
    return p;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    if (other != null) {
      other.close();
    }
    if (f != null) {
      f.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_nothingRevoked_publishesNothing(TestDatabase.Kind kind) {
    setUp(kind);
    RevocationPoller p = poller();
    f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    assertThat(p.poll()).isZero();
    assertThat(seen).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_revokedByOtherProcess_publishedOnceWithTypeAndTime(TestDatabase.Kind kind) {
    setUp(kind);
    RevocationPoller p = poller();
    CreatedKey k = f.keys.create(KeyType.RK, f.orgId(), "", Set.of());
    other.keys.revoke(k.id());
    assertThat(p.poll()).isEqualTo(1);
    assertThat(seen).containsExactly(new KeyRevocation(k.id(), KeyType.RK, f.clock.instant()));
    assertThat(p.poll()).as("already published").isZero();
    assertThat(seen).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_revokedTwice_secondEventCarriesFirstRevocationTime(TestDatabase.Kind kind) {
    setUp(kind);
    RevocationPoller p = poller();
    CreatedKey k = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
    other.keys.revoke(k.id());
    java.time.Instant first = f.clock.instant();
    f.clock.advance(Duration.ofMinutes(1));
    other.keys.revoke(k.id());
    assertThat(p.poll()).isEqualTo(2);
    assertThat(seen).extracting(KeyRevocation::effectiveAt).containsExactly(first, first);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_rotationsByOtherProcess_effectiveNowOrAtGraceEnd(TestDatabase.Kind kind) {
    setUp(kind);
    RevocationPoller p = poller();
    CreatedKey a = f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of());
    CreatedKey b = f.keys.create(KeyType.LP, f.devEnvId(), "", Set.of("products:search"));
    other.keys.rotate(a.id(), Optional.empty());
    other.keys.rotate(b.id(), Optional.of(Duration.ofSeconds(30)));
    assertThat(p.poll()).isEqualTo(2);
    assertThat(seen).extracting(KeyRevocation::keyId, KeyRevocation::type, KeyRevocation::effectiveAt).containsExactly(
        Tuple.tuple(a.id(), KeyType.SK, f.clock.instant()),
        Tuple.tuple(b.id(), KeyType.LP, f.clock.instant().plusSeconds(30)));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_revocationsBeforeConstruction_notReplayed(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey before = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    CreatedKey after = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    other.keys.revoke(before.id());
    RevocationPoller p = poller();
    assertThat(p.poll()).isZero();
    other.keys.revoke(after.id());
    assertThat(p.poll()).isEqualTo(1);
    assertThat(seen).extracting(KeyRevocation::keyId).containsExactly(after.id());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void revokeOrRotate_refused_logsNothing(TestDatabase.Kind kind) {
    setUp(kind);
    CreatedKey revoked = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    CreatedKey rotated = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    CreatedKey active = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    other.keys.revoke(revoked.id());
    other.keys.rotate(rotated.id(), Optional.of(Duration.ofHours(1)));
    RevocationPoller p = poller();
    expectCode(() -> other.keys.revoke("no-such-key"), ErrorCode.NOT_FOUND);
    expectCode(() -> other.keys.rotate("no-such-key", Optional.empty()), ErrorCode.NOT_FOUND);
    expectCode(() -> other.keys.rotate(revoked.id(), Optional.empty()), ErrorCode.INVALID_REQUEST);
    expectCode(() -> other.keys.rotate(rotated.id(), Optional.empty()), ErrorCode.INVALID_REQUEST);
    expectCode(() -> other.keys.rotate(active.id(), Optional.of(Duration.ofDays(31))), ErrorCode.INVALID_REQUEST);
    assertThat(p.poll()).isZero();
    assertThat(seen).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_morePendingThanPageSize_allPublishedInOrder(TestDatabase.Kind kind) {
    setUp(kind);
    RevocationPoller p = new RevocationPoller(f.store.dataSource(), polled, Duration.ofSeconds(1), 2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
      other.keys.revoke(k.id());
      ids.add(k.id());
    }
    assertThat(p.poll()).isEqualTo(5);
    assertThat(seen).extracting(KeyRevocation::keyId).containsExactlyElementsOf(ids);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void concurrentRevocations_twoProcessesWhilePolling_eachPublishedExactlyOnce(TestDatabase.Kind kind) throws Exception {
    setUp(kind);
    int perProcess = 15;
    List<String> mine = new ArrayList<>();
    List<String> theirs = new ArrayList<>();
    for (int i = 0; i < perProcess; i++) {
      mine.add(f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of()).id());
      theirs.add(f.keys.create(KeyType.SK, f.devEnvId(), "", Set.of()).id());
    }
    RevocationPoller p = poller();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean revoking = new AtomicBoolean(true);
    CountDownLatch go = new CountDownLatch(1);
    try {
      Future<?> a = pool.submit(() -> {
        go.await();
        mine.forEach(f.keys::revoke);
        return null;
      });
      Future<?> b = pool.submit(() -> {
        go.await();
        theirs.forEach(other.keys::revoke);
        return null;
      });
      // Polling while revocations commit: a poller that could skip a revision would lose one here.
      Future<?> polling = pool.submit(() -> {
        go.await();
        while (revoking.get()) {
          p.poll();
        }
        return null;
      });
      go.countDown();
      a.get(60, TimeUnit.SECONDS);
      b.get(60, TimeUnit.SECONDS);
      revoking.set(false);
      polling.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    p.poll();
    List<String> all = new ArrayList<>(mine);
    all.addAll(theirs);
    assertThat(seen).extracting(KeyRevocation::keyId).containsExactlyInAnyOrderElementsOf(all);
    assertThat(revisions()).containsExactlyElementsOf(
        LongStream.rangeClosed(1, 2L * perProcess).boxed().collect(Collectors.toList()));
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void started_revocationByOtherProcess_publishedWithinOneSecond(TestDatabase.Kind kind) throws Exception {
    setUp(kind);
    RevocationPoller p = poller().start();
    CreatedKey k = f.keys.create(KeyType.PK, f.devEnvId(), "", Set.of());
    long start = System.nanoTime();
    other.keys.revoke(k.id());
    while (seen.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
      Thread.sleep(5);
    }
    assertThat(seen).extracting(KeyRevocation::keyId).containsExactly(k.id());
    p.close();
    p.close();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void poll_storeClosed_storeExceptionAndNothingPublished(TestDatabase.Kind kind) {
    setUp(kind);
    RevocationPoller p = new RevocationPoller(other.store.dataSource(), polled, Duration.ofSeconds(1));
    other.store.close();
    assertThatThrownBy(p::poll).isInstanceOf(StoreException.class);
    assertThat(seen).isEmpty();
  }

  @Test
  void constructor_nonPositiveIntervalOrPage_rejected() {
    try (StoreFixture fx = new StoreFixture(TestDatabase.Kind.H2)) {
      assertThatThrownBy(() -> new RevocationPoller(fx.store.dataSource(), polled, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new RevocationPoller(fx.store.dataSource(), polled, Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new RevocationPoller(fx.store.dataSource(), polled, Duration.ofSeconds(1), 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private List<Long> revisions() throws Exception {
    List<Long> out = new ArrayList<>();
    try (Connection c = f.store.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT revision FROM key_revocations ORDER BY revision")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static void expectCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(LensgateException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
