package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.where.Filter;
import dev.lensgate.server.stream.StreamFixtures.Received;
import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's acceptance at hub level: two users of one lens with different rule filters (their own
 * organization) each receive exactly the events of their rows, including a row moving between
 * them (a delete for the one who loses it, an insert for the one who gains it), and nothing once
 * their registration is closed.
 */
class TwoUsersStreamTest {

  @Test
  void twoRuleFilters_eachUserGetsExactlyTheEventsOfTheirRows() throws Exception {
    Random rnd = new Random(20261204);
    Filter aliceRule = StreamFixtures.parse("{\"orgId\": 1}");
    Filter bobRule = StreamFixtures.parse("{\"orgId\": {\"$in\": [2]}, \"active\": true}");
    FilterMatcher alice = FilterMatcher.of(Optional.of(aliceRule), Optional.empty());
    FilterMatcher bob = FilterMatcher.of(Optional.of(bobRule), Optional.of(StreamFixtures.parse("{\"price\": {\"$gte\": 3}}")));
    assertThat(alice.requiredEquality()).contains(Map.entry("orgId", 1L));
    assertThat(bob.requiredEquality()).contains(Map.entry("orgId", 2L));
    RecordingSink aliceSink = new RecordingSink();
    RecordingSink bobSink = new RecordingSink();
    try (InProcessStreamHub hub = new InProcessStreamHub(4, 128, Duration.ofMinutes(1))) {
      StreamHub.Registration aliceReg = hub.register(StreamFixtures.ENV, StreamFixtures.LENS_NAME, alice, aliceSink);
      hub.register(StreamFixtures.ENV, StreamFixtures.LENS_NAME, bob, bobSink);
      StreamFixtures.Changes changes = new StreamFixtures.Changes(rnd, 300, 1000);
      List<ChangeEvent> sent = new ArrayList<>();
      for (int i = 0; i < 8000; i++) {
        ChangeEvent c = changes.next();
        sent.add(c);
        hub.changed(c);
      }
      assertThat(hub.awaitDrained(Duration.ofMinutes(1))).isTrue();
      Map<String, List<Received>> aliceExpected = expected(alice.filter(), sent);
      Map<String, List<Received>> bobExpected = expected(bob.filter(), sent);
      assertThat(aliceSink.byRecord()).isEqualTo(aliceExpected);
      assertThat(bobSink.byRecord()).isEqualTo(bobExpected);
      // The test means something: both saw many events of every kind, and none of the other's rows.
      for (StreamEvent.Kind kind : StreamEvent.Kind.values()) {
        assertThat(aliceSink.events).filteredOn(e -> e.kind() == kind).hasSizeGreaterThan(50);
        assertThat(bobSink.events).filteredOn(e -> e.kind() == kind).hasSizeGreaterThan(20);
      }
      assertThat(aliceSink.events).allMatch(e -> Long.valueOf(1).equals(e.row().get("orgId")));
      assertThat(bobSink.events).allMatch(e -> Long.valueOf(2).equals(e.row().get("orgId")));

      // After closing (a revoked key), Alice receives nothing more; Bob goes on.
      aliceReg.close();
      int aliceBefore = aliceSink.events.size();
      int bobBefore = bobSink.events.size();
      List<ChangeEvent> later = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        ChangeEvent c = changes.next();
        later.add(c);
        hub.changed(c);
      }
      assertThat(hub.awaitDrained(Duration.ofMinutes(1))).isTrue();
      assertThat(aliceSink.events).hasSize(aliceBefore);
      long bobLater = later.stream().filter(c -> StreamFixtures.expected(bob.filter(), c).isPresent()).count();
      assertThat(bobLater).isPositive();
      assertThat(bobSink.events).hasSize(bobBefore + (int) bobLater);
    }
  }

  private static Map<String, List<Received>> expected(Filter filter, List<ChangeEvent> sent) {
    Map<String, List<Received>> out = new LinkedHashMap<>();
    for (ChangeEvent c : sent) {
      StreamFixtures.expected(filter, c).ifPresent(e -> out.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e));
    }
    return out;
  }
}
