package dev.lensgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.server.store.SyncRequest;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler driven poll by poll on the store's fixed clock, against a real source and index. */
class SyncSchedulerTest {
  @TempDir Path dir;

  private static SyncScheduler scheduler(SyncFixture f, LensConfig lens, int workers) {
    return new SyncScheduler(f.sync, () -> Map.of(f.env(), Map.of(lens.name(), lens)), f.states, f.queue, f.meta.clock,
        workers, Duration.ofHours(1), Duration.ofSeconds(30));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static boolean allFinished(SyncFixture f, List<String> ids) {
    return ids.stream().allMatch(id -> f.queue.find(id).orElseThrow().finished());
  }

  @Test
  void poll_threeJobsOfOneLensAndFourWorkers_neverTwoAtOnce() throws Exception {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 40);
      f.embedder.get().delay(100);
      List<String> jobs = List.of(f.queue.request(f.env(), "items", SyncMode.FULL, SyncRequest.ORIGIN_CLI),
          f.queue.request(f.env(), "items", SyncMode.FULL, SyncRequest.ORIGIN_CLI),
          f.queue.request(f.env(), "items", SyncMode.FULL, SyncRequest.ORIGIN_CLI));
      try (SyncScheduler s = scheduler(f, f.lens, 4)) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!allFinished(f, jobs)) {
          s.poll();
          assertThat(s.busyKeys()).hasSizeLessThanOrEqualTo(1);
          assertThat(System.nanoTime()).as("jobs done within 60 s").isLessThan(end);
          Thread.sleep(10);
        }
      }
      assertThat(f.embedder.get().maxInFlight()).isEqualTo(1);
      assertThat(jobs).allMatch(id -> f.queue.find(id).orElseThrow().status().equals(SyncRequest.DONE));
    }
  }

  @Test
  void poll_pausedLens_ingestJobWaitsUntilResumed() throws Exception {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 5);
      String job = f.queue.ingest(f.env(), "items", SyncMode.INCREMENTAL, Map.of(), "r", Duration.ZERO).jobId();
      try (SyncScheduler s = scheduler(f, f.lens, 2)) {
        for (int i = 0; i < 5; i++) {
          s.poll();
        }
        Thread.sleep(200);
        assertThat(f.queue.find(job).orElseThrow().status()).isEqualTo(SyncRequest.QUEUED);
        assertThat(f.status().state()).isEqualTo(IndexState.PAUSED);

        f.states.resume(f.env(), "items");
        s.poll();
        await("job done", () -> f.queue.find(job).orElseThrow().finished());
      }
      assertThat(f.status().state()).isEqualTo(IndexState.READY);
      assertThat(f.writer().documentCount()).isEqualTo(5);
    }
  }

  @Test
  void poll_syncInterval_queuesIncrementalWhenDueAndStartRequeuesRunning() throws Exception {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      LensConfig every = SyncFixture.lens(String.format(SyncFixture.ENV_YAML, "postgres") + "    syncInterval: 1m\n");
      f.insert(1, 5);
      f.states.resume(f.env(), "items");
      try (SyncScheduler s = scheduler(f, every, 2)) {
        s.poll(); // never synced: due at once
        await("first scheduled sync", () -> f.status().lastSyncAt().isPresent() && s.busyKeys().isEmpty());
        int jobs = f.queue.jobs(f.env(), "items").size();
        f.meta.clock.advance(Duration.ofSeconds(30));
        s.poll();
        assertThat(f.queue.jobs(f.env(), "items")).hasSize(jobs);
        f.meta.clock.advance(Duration.ofSeconds(31));
        f.source.execute("UPDATE items SET version = 9, title = 'later' WHERE id = 2");
        s.poll();
        List<SyncRequest> after = f.queue.jobs(f.env(), "items");
        assertThat(after).hasSize(jobs + 1);
        assertThat(after.get(0).origin()).isEqualTo(SyncRequest.ORIGIN_SCHEDULE);
        assertThat(after.get(0).mode()).isEqualTo(SyncMode.INCREMENTAL);
        await("scheduled incremental", () -> f.queue.find(after.get(0).id()).orElseThrow().finished());
        assertThat(f.status().cursor()).contains("9");
      }
      // A job left running by a dead gateway is queued again when a scheduler starts.
      String orphan = f.queue.request(f.env(), "items", SyncMode.SMART, SyncRequest.ORIGIN_CLI);
      assertThat(f.queue.claim(orphan)).isTrue();
      try (SyncScheduler s = scheduler(f, f.lens, 1).start()) {
        await("orphan rerun", () -> f.queue.find(orphan).orElseThrow().finished());
      }
      assertThat(f.queue.find(orphan).orElseThrow().status()).isEqualTo(SyncRequest.DONE);
    }
  }
}
