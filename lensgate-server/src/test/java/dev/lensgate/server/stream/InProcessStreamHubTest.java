package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class InProcessStreamHubTest {
  private static final String ENV = StreamFixtures.ENV;
  private static final String LENS = StreamFixtures.LENS_NAME;
  /** Visible: org 1. */
  private static final Map<String, Object> MINE = Map.of("id", 7L, "orgId", 1L);
  /** Hidden: org 2. */
  private static final Map<String, Object> THEIRS = Map.of("id", 7L, "orgId", 2L);
  private static final Map<String, Object> MINE_TOO = Map.of("id", 7L, "orgId", 1L, "region", "eu");

  private final InProcessStreamHub hub = new InProcessStreamHub(2, 16, Duration.ofMinutes(1));
  private final FilterMatcher orgOne = FilterMatcher.of(Optional.of(StreamFixtures.parse("{\"orgId\": 1}")), Optional.empty());

  @AfterEach
  void closeHub() {
    hub.close();
  }

  static Stream<Arguments> transitions() {
    return Stream.of(
        // kind, before, after, expected kind (null: nothing), expected row
        Arguments.of(ChangeEvent.Kind.INSERT, null, THEIRS, null, null),
        Arguments.of(ChangeEvent.Kind.INSERT, null, MINE, StreamEvent.Kind.INSERT, MINE),
        Arguments.of(ChangeEvent.Kind.UPDATE, THEIRS, THEIRS, null, null),
        Arguments.of(ChangeEvent.Kind.UPDATE, THEIRS, MINE, StreamEvent.Kind.INSERT, MINE),
        Arguments.of(ChangeEvent.Kind.UPDATE, MINE, MINE_TOO, StreamEvent.Kind.UPDATE, MINE_TOO),
        Arguments.of(ChangeEvent.Kind.UPDATE, MINE, THEIRS, StreamEvent.Kind.DELETE, MINE),
        Arguments.of(ChangeEvent.Kind.DELETE, THEIRS, null, null, null),
        Arguments.of(ChangeEvent.Kind.DELETE, MINE, null, StreamEvent.Kind.DELETE, MINE));
  }

  @ParameterizedTest
  @MethodSource("transitions")
  void change_reachesSubscriberAsItSeesIt(ChangeEvent.Kind kind, Map<String, Object> before,
      Map<String, Object> after, StreamEvent.Kind expected, Map<String, Object> expectedRow) throws Exception {
    RecordingSink sink = new RecordingSink();
    hub.register(ENV, LENS, orgOne, sink);
    hub.changed(new ChangeEvent(ENV, LENS, kind, "7", Optional.ofNullable(before), Optional.ofNullable(after)));
    assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
    if (expected == null) {
      assertThat(sink.events).isEmpty();
    } else {
      assertThat(sink.events).hasSize(1);
      StreamEvent e = sink.events.get(0);
      assertThat(e.kind()).isEqualTo(expected);
      assertThat(e.id()).isEqualTo("7");
      assertThat(e.row()).isEqualTo(expectedRow);
    }
  }

  @Test
  void observe_getsOnlyItsRecord_whileTheRuleAllowsIt() throws Exception {
    RecordingSink sink = new RecordingSink();
    hub.register(ENV, LENS, FilterMatcher.forRecord(StreamFixtures.LENS.schema(),
        Optional.of(StreamFixtures.parse("{\"orgId\": 1}")), Optional.empty(), "7"), sink);
    Map<String, Object> other = Map.of("id", 8L, "orgId", 1L);
    hub.changed(ChangeEvent.upsert(ENV, LENS, "8", Optional.empty(), other));
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.empty(), MINE));
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.of(MINE), MINE_TOO));
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.of(MINE_TOO), THEIRS));
    hub.changed(ChangeEvent.delete(ENV, LENS, "7", THEIRS));
    hub.changed(ChangeEvent.delete(ENV, LENS, "8", other));
    assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
    assertThat(sink.events).extracting(StreamEvent::kind)
        .containsExactly(StreamEvent.Kind.INSERT, StreamEvent.Kind.UPDATE, StreamEvent.Kind.DELETE);
    assertThat(sink.events.get(2).row()).as("the delete carries the row it could see").isEqualTo(MINE_TOO);
  }

  @Test
  void throwingSink_endsOnlyItsRegistration_andLogsNoRowContent() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(HubRegistration.class);
    logs.start();
    logger.addAppender(logs);
    try {
      RecordingSink good = new RecordingSink();
      RecordingSink bad = new RecordingSink() {
        @Override
        public void deliver(StreamEvent event) {
          super.deliver(event);
          throw new IllegalStateException("cannot send row " + event.row());
        }
      };
      hub.register(ENV, LENS, orgOne, bad);
      hub.register(ENV, LENS, orgOne, good);
      assertThat(hub.liveCount(ENV, LENS)).isEqualTo(2);
      Map<String, Object> secret = Map.of("id", 8L, "orgId", 1L, "region", "SENTINEL-row-value");
      for (int i = 0; i < 5; i++) {
        hub.changed(ChangeEvent.upsert(ENV, LENS, "8", i == 0 ? Optional.empty() : Optional.of(secret), secret));
      }
      assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
      assertThat(bad.events).hasSize(1);
      assertThat(bad.ends).containsExactly(StreamEnd.SINK_FAILED);
      assertThat(good.events).hasSize(5);
      assertThat(good.ends).isEmpty();
      assertThat(hub.liveCount(ENV, LENS)).isEqualTo(1);
      assertThat(logs.list).isNotEmpty();
      assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("SENTINEL"));
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void throwingMatcher_endsOnlyItsRegistration() throws Exception {
    RecordingSink good = new RecordingSink();
    RecordingSink bad = new RecordingSink();
    hub.register(ENV, LENS, row -> { throw new IllegalArgumentException("boom"); }, bad);
    hub.register(ENV, LENS, orgOne, good);
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.empty(), MINE));
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.of(MINE), MINE_TOO));
    assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
    assertThat(bad.events).isEmpty();
    assertThat(bad.ends).containsExactly(StreamEnd.SINK_FAILED);
    assertThat(good.events).extracting(StreamEvent::kind).containsExactly(StreamEvent.Kind.INSERT, StreamEvent.Kind.UPDATE);
  }

  @Test
  void closedRegistration_receivesNothingMore_andCloseIsIdempotent() throws Exception {
    RecordingSink sink = new RecordingSink();
    RecordingSink other = new RecordingSink();
    StreamHub.Registration r = hub.register(ENV, LENS, orgOne, sink);
    hub.register(ENV, LENS, orgOne, other);
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.empty(), MINE));
    assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
    assertThat(sink.events).hasSize(1);

    r.close();
    r.close();
    assertThat(hub.liveCount(ENV, LENS)).isEqualTo(1);
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.of(MINE), MINE_TOO));
    hub.changed(ChangeEvent.delete(ENV, LENS, "7", MINE_TOO));
    assertThat(hub.awaitDrained(Duration.ofSeconds(30))).isTrue();
    assertThat(sink.events).hasSize(1);
    assertThat(sink.ends).as("the owner closed it: no end notice").isEmpty();
    assertThat(other.events).hasSize(3);
  }

  @Test
  void concurrentCloses_countOnce() throws Exception {
    List<StreamHub.Registration> regs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      regs.add(hub.register(ENV, LENS, i % 2 == 0 ? orgOne : row -> true, new RecordingSink()));
    }
    hub.register(ENV, LENS, orgOne, new RecordingSink());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          go.await();
          regs.forEach(StreamHub.Registration::close);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(hub.liveCount(ENV, LENS)).isEqualTo(1);
    assertThat(hub.liveCount(ENV, "other")).isZero();
    assertThat(hub.liveCount("env-2", LENS)).isZero();
  }

  @Test
  void hubClose_endsRegistrations_stopsThreads_andRefusesNewOnes() throws Exception {
    RecordingSink sink = new RecordingSink();
    hub.register(ENV, LENS, orgOne, sink);
    hub.close();
    assertThat(sink.ends).containsExactly(StreamEnd.HUB_CLOSED);
    assertThat(hub.awaitTerminated(Duration.ofSeconds(30))).isTrue();
    assertThat(hub.liveCount(ENV, LENS)).isZero();
    hub.changed(ChangeEvent.upsert(ENV, LENS, "7", Optional.empty(), MINE)); // ignored, no throw
    assertThat(sink.events).isEmpty();
    assertThatThrownBy(() -> hub.register(ENV, LENS, orgOne, new RecordingSink()))
        .isInstanceOf(IllegalStateException.class);
    hub.close(); // idempotent
  }

  @Test
  void badSettings_areRefused() {
    assertThatThrownBy(() -> new InProcessStreamHub(0, 16, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InProcessStreamHub(1, 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InProcessStreamHub(1, 1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
