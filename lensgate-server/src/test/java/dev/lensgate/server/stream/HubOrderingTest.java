package dev.lensgate.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.server.sync.ChangeListener.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Per-record order under concurrency: four sync threads publish versioned changes of their own
 * records while other threads register and close registrations; every stable subscriber sees each
 * record's versions complete and in order.
 */
class HubOrderingTest {
  private static final String ENV = StreamFixtures.ENV;
  private static final String LENS = StreamFixtures.LENS_NAME;
  private static final int PRODUCERS = 4;
  private static final int RECORDS_PER_PRODUCER = 50;
  private static final int VERSIONS = 150;

  @Test
  void concurrentProducersAndChurn_eachRecordArrivesInOrder() throws Exception {
    try (InProcessStreamHub hub = new InProcessStreamHub(4, 32, Duration.ofMinutes(1))) {
      RecordingSink all = new RecordingSink();
      RecordingSink evenOrgs = new RecordingSink();
      hub.register(ENV, LENS, row -> true, all);
      hub.register(ENV, LENS, FilterMatcher.of(Optional.of(StreamFixtures.parse("{\"orgId\": 0}")), Optional.empty()),
          evenOrgs);
      ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 2);
      AtomicBoolean producing = new AtomicBoolean(true);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
          int base = p * RECORDS_PER_PRODUCER;
          producers.add(pool.submit(() -> {
            go.await();
            produce(hub, base);
            return null;
          }));
        }
        List<Future<?>> churners = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          churners.add(pool.submit(() -> {
            go.await();
            int n = 0;
            while (producing.get()) {
              FilterMatcher m = FilterMatcher.of(Optional.of(StreamFixtures.parse("{\"orgId\": " + (n++ % 2) + "}")),
                  Optional.empty());
              hub.register(ENV, LENS, m, new RecordingSink()).close();
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : producers) {
          f.get(60, TimeUnit.SECONDS);
        }
        producing.set(false);
        for (Future<?> f : churners) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(hub.awaitDrained(Duration.ofSeconds(60))).isTrue();
      assertThat(hub.liveCount(ENV, LENS)).isEqualTo(2);
      assertThat(all.events).hasSize(PRODUCERS * RECORDS_PER_PRODUCER * VERSIONS);
      assertInOrder(all, false);
      assertInOrder(evenOrgs, true);
      assertThat(all.ends).isEmpty();
    }
  }

  /** Record r's version v lives in org v % 2: every second change moves it in or out of org 0. */
  private static void produce(InProcessStreamHub hub, int base) {
    Map<Integer, Map<String, Object>> indexed = new HashMap<>();
    for (int v = 0; v < VERSIONS; v++) {
      for (int r = base; r < base + RECORDS_PER_PRODUCER; r++) {
        Map<String, Object> row = Map.of("id", (long) r, "orgId", (long) (v % 2), "price",
            new java.math.BigDecimal(v));
        hub.changed(ChangeEvent.upsert(ENV, LENS, Integer.toString(r), Optional.ofNullable(indexed.get(r)), row));
        indexed.put(r, row);
      }
    }
  }

  private static void assertInOrder(RecordingSink sink, boolean orgZeroOnly) {
    Map<String, List<StreamFixtures.Received>> byRecord = sink.byRecord();
    assertThat(byRecord).hasSize(PRODUCERS * RECORDS_PER_PRODUCER);
    for (List<StreamFixtures.Received> events : byRecord.values()) {
      List<Integer> versions = new ArrayList<>();
      for (StreamFixtures.Received e : events) {
        versions.add(((java.math.BigDecimal) e.row().get("price")).intValue());
      }
      List<Integer> expected = new ArrayList<>();
      for (int v = 0; v < VERSIONS; v++) {
        if (!orgZeroOnly) {
          expected.add(v);
        } else if (v % 2 == 0) {
          expected.add(v); // enters org 0: insert of v
        } else {
          expected.add(v - 1); // leaves it: a delete carrying the row it saw, v - 1
        }
      }
      assertThat(versions).isEqualTo(expected);
      if (orgZeroOnly) {
        for (int i = 0; i < events.size(); i++) {
          assertThat(events.get(i).kind()).isEqualTo(i % 2 == 0 ? StreamEvent.Kind.INSERT : StreamEvent.Kind.DELETE);
        }
      }
    }
  }
}
