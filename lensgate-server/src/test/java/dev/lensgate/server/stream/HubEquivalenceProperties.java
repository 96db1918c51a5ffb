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
 * The hub's deliveries (equality index, lanes, transition rule) equal a brute-force reference that
 * tests every change against every subscriber with {@code InMemoryPredicate}: thousands of random
 * rows and changes, hundreds of random rule filters and wheres.
 */
class HubEquivalenceProperties {

  @Test
  void randomFiltersAndChanges_hubDeliversExactlyTheBruteForceEvents() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      check(new Random(seed), 150, 3000);
    }
  }

  private static void check(Random rnd, int subscribers, int changeCount) throws Exception {
    List<Filter> filters = new ArrayList<>();
    List<RecordingSink> sinks = new ArrayList<>();
    int indexed = 0;
    try (InProcessStreamHub hub = new InProcessStreamHub(3, 64, Duration.ofMinutes(1))) {
      for (int i = 0; i < subscribers; i++) {
        Optional<Filter> rule = rnd.nextInt(5) == 0 ? Optional.empty() : Optional.of(StreamFixtures.filter(rnd, 2));
        Optional<Filter> where = rnd.nextBoolean() ? Optional.empty() : Optional.of(StreamFixtures.filter(rnd, 1));
        FilterMatcher m = FilterMatcher.of(rule, where);
        indexed += m.requiredEquality().isPresent() ? 1 : 0;
        filters.add(m.filter());
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        hub.register(StreamFixtures.ENV, StreamFixtures.LENS_NAME, m, sink);
      }
      // Another lens and another environment must not leak into these subscribers.
      hub.register(StreamFixtures.ENV, "other", row -> true, new RecordingSink());
      StreamFixtures.Changes changes = new StreamFixtures.Changes(rnd, 200, 0);
      List<ChangeEvent> sent = new ArrayList<>();
      for (int i = 0; i < changeCount; i++) {
        ChangeEvent c = changes.next();
        sent.add(c);
        hub.changed(c);
        if (i % 7 == 0) {
          hub.changed(new ChangeEvent("env-2", c.lens(), c.kind(), c.id(), c.before(), c.after()));
        }
      }
      assertThat(hub.awaitDrained(Duration.ofMinutes(1))).isTrue();
      assertThat(indexed).as("some subscribers use the equality index").isGreaterThan(subscribers / 4);
      assertThat(subscribers - indexed).as("some do not").isGreaterThan(0);
      long total = 0;
      for (int s = 0; s < subscribers; s++) {
        Map<String, List<Received>> expected = new LinkedHashMap<>();
        for (ChangeEvent c : sent) {
          StreamFixtures.expected(filters.get(s), c)
              .ifPresent(e -> expected.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e));
        }
        assertThat(sinks.get(s).byRecord()).as("subscriber %d, filter %s", s, filters.get(s)).isEqualTo(expected);
        assertThat(sinks.get(s).ends).isEmpty();
        total += sinks.get(s).events.size();
      }
      assertThat(total).as("the filters select something").isGreaterThan(changeCount);
    }
  }
}
