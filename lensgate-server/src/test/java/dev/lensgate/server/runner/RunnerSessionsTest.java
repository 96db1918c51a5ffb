package dev.lensgate.server.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.auth.KeyType;
import dev.lensgate.core.keys.KeyRevocation;
import dev.lensgate.core.keys.KeyRevocations;
import dev.lensgate.core.runner.RunnerFrame;
import dev.lensgate.core.runner.RunnerFrameCodec;
import dev.lensgate.server.store.RunnerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunnerSessionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final KeyRevocations revocations = new KeyRevocations();
  private final RunnerSessions sessions = new RunnerSessions(RunnerFrameCodec.withDefaults(), clock,
      Duration.ofSeconds(25), timers, revocations);

  @AfterEach
  void stop() {
    sessions.close();
    timers.shutdownNow();
  }

  private static RunnerInfo runner(String id, String org, String name) {
    return new RunnerInfo(id, org, name, "key_" + id, T0, Optional.empty(), Optional.empty());
  }

  @Test
  void healthy_withinTwoHeartbeatIntervals_exactBoundary() {
    RecordingSocket socket = new RecordingSocket();
    RunnerSession s = sessions.open(runner("r1", "org1", "edge-1"), socket);
    assertThat(socket.sent.get(0)).contains("\"type\":\"hello\"").contains("\"heartbeatSeconds\":25");
    clock.now = T0.plusSeconds(50);
    assertThat(sessions.healthy("org1", List.of("edge-1"))).containsExactly(s);
    clock.now = T0.plusSeconds(50).plusMillis(1);
    assertThat(sessions.healthy("org1", List.of("edge-1"))).isEmpty();
    sessions.heartbeat(s, new RunnerFrame.Heartbeat("1.0", List.of("main")));
    assertThat(sessions.healthy("org1", List.of("edge-1"))).containsExactly(s);
    assertThat(s.version()).isEqualTo("1.0");
  }

  @Test
  void announces_heartbeatSources_ruleForManagedAndRunnerLocalJobs() {
    RunnerSession s = sessions.open(runner("r1", "org1", "edge-1"), new RecordingSocket());
    // nothing announced yet: eligible for everything
    assertThat(s.announces("crm", false)).isTrue();
    assertThat(s.announces("crm", true)).isTrue();
    sessions.heartbeat(s, new RunnerFrame.Heartbeat("1.0", List.of()));
    assertThat(s.announces("crm", true)).isTrue();
    // '*': any managed source, but a runner-local source must be named
    sessions.heartbeat(s, new RunnerFrame.Heartbeat("1.0", List.of("*", "edge_db")));
    assertThat(s.announces("crm", false)).isTrue();
    assertThat(s.announces("crm", true)).isFalse();
    assertThat(s.announces("edge_db", true)).isTrue();
    // names as the runner's environment variables spell them: case, '-' and '.' fold to '_'
    assertThat(s.announces("Edge-DB", true)).isTrue();
    assertThat(s.announces("edge.db", true)).isTrue();
    assertThat(s.announces("edgedb", true)).isFalse();
    // an allow-list: exactly its sources, managed or local
    sessions.heartbeat(s, new RunnerFrame.Heartbeat("1.0", List.of("main")));
    assertThat(s.announces("main", false)).isTrue();
    assertThat(s.announces("main", true)).isTrue();
    assertThat(s.announces("crm", false)).isFalse();
  }

  @Test
  void healthy_otherOrgOrUnassignedName_isNotOffered() {
    sessions.open(runner("r1", "org1", "edge-1"), new RecordingSocket());
    assertThat(sessions.healthy("org2", List.of("edge-1"))).isEmpty();
    assertThat(sessions.healthy("org1", List.of("edge-2"))).isEmpty();
  }

  @Test
  void revocation_ofItsKey_refusesAndClosesOnlyThatSession() {
    RecordingSocket a = new RecordingSocket();
    RecordingSocket b = new RecordingSocket();
    sessions.open(runner("r1", "org1", "edge-1"), a);
    sessions.open(runner("r2", "org1", "edge-2"), b);
    List<RunnerSession> closed = new CopyOnWriteArrayList<>();
    sessions.onClosed(closed::add);
    revocations.publish(new KeyRevocation("key_r1", KeyType.RK, T0));
    assertThat(a.sent).anyMatch(f -> f.equals("{\"type\":\"refused\",\"code\":\"key_revoked\"}"));
    assertThat(a.closedWith).isEqualTo(RunnerSession.CLOSE_POLICY);
    assertThat(b.closedWith).isZero();
    assertThat(closed).extracting(s -> s.runner().id()).containsExactly("r1");
    revocations.publish(new KeyRevocation("key_r2", KeyType.PK, T0));
    assertThat(b.closedWith).as("only rk_ revocations close runner sockets").isZero();
  }

  @Test
  void closed_unregistersOnceAndTellsTheListenerOnce() {
    RunnerSession s = sessions.open(runner("r1", "org1", "edge-1"), new RecordingSocket());
    List<RunnerSession> closed = new CopyOnWriteArrayList<>();
    sessions.onClosed(closed::add);
    sessions.closed(s);
    sessions.closed(s);
    assertThat(closed).hasSize(1);
    assertThat(sessions.size()).isZero();
    assertThat(s.send(new RunnerFrame.Cancel("j"))).isFalse();
  }

  @Test
  void tryAcquire_boundsInFlightJobs() {
    RunnerSession s = sessions.open(runner("r1", "org1", "edge-1"), new RecordingSocket());
    assertThat(s.tryAcquire(2)).isTrue();
    assertThat(s.tryAcquire(2)).isTrue();
    assertThat(s.tryAcquire(2)).isFalse();
    s.release();
    assertThat(s.tryAcquire(2)).isTrue();
  }

  static final class RecordingSocket implements RunnerSocket {
    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile int closedWith;

    @Override
    public void send(String text) {
      sent.add(text);
    }

    @Override
    public void close(int status, String reason) {
      closedWith = status;
    }
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
