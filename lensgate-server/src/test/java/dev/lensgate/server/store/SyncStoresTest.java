package dev.lensgate.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lensgate.core.error.LensgateException;
import dev.lensgate.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** V5's index state, ingest buffer and sync queue on H2 and PostgreSQL. */
class SyncStoresTest {
  private static final Duration DEBOUNCE = Duration.ofSeconds(2);

  private static Map<String, Boolean> changes(Object... idAndDelete) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (int i = 0; i < idAndDelete.length; i += 2) {
      m.put((String) idAndDelete[i], (Boolean) idAndDelete[i + 1]);
    }
    return m;
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ensure_newLens_startsPausedAndEmpty(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      IndexStateStore states = new IndexStateStore(f.store.dataSource(), f.clock);
      assertThat(states.ensure(f.devEnvId(), "items")).isTrue();
      assertThat(states.ensure(f.devEnvId(), "items")).isFalse();
      LensIndexStatus s = states.get(f.devEnvId(), "items").orElseThrow();
      assertThat(s.state()).isEqualTo(IndexState.PAUSED);
      assertThat(s.paused()).isTrue();
      assertThat(s.documents()).isZero();
      assertThat(s.lastSyncAt()).isEmpty();
      assertThat(s.cursor()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void lifecycle_startedSucceededFailed_recordsFiguresAndKeepsDocumentsOnFailure(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      IndexStateStore states = new IndexStateStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      states.resume(env, "items");
      assertThat(states.get(env, "items").orElseThrow().state()).isEqualTo(IndexState.READY);
      states.started(env, "items", 40);
      states.progress(env, "items", 10);
      LensIndexStatus running = states.get(env, "items").orElseThrow();
      assertThat(running.state()).isEqualTo(IndexState.INDEXING);
      assertThat(running.progressDone()).isEqualTo(10);
      assertThat(running.progressTotal()).isEqualTo(40);
      states.saveCursor(env, "items", Optional.of("2025-03-01T12:00:00Z"));
      states.succeeded(env, "items", 40, 1234, true, "fake:8");
      LensIndexStatus ready = states.get(env, "items").orElseThrow();
      assertThat(ready.state()).isEqualTo(IndexState.READY);
      assertThat(ready.documents()).isEqualTo(40);
      assertThat(ready.rowsPerSecond()).isEqualTo(1234);
      assertThat(ready.lastSyncAt()).contains(f.clock.instant());
      assertThat(ready.lastSmartSyncAt()).contains(f.clock.instant());
      assertThat(ready.cursor()).contains("2025-03-01T12:00:00Z");
      assertThat(ready.embedderId()).contains("fake:8");

      states.failed(env, "items", IndexState.DISCONNECTED, "source_unreachable", "x".repeat(900));
      LensIndexStatus down = states.get(env, "items").orElseThrow();
      assertThat(down.state()).isEqualTo(IndexState.DISCONNECTED);
      assertThat(down.documents()).isEqualTo(40);
      assertThat(down.lastErrorCode()).contains("source_unreachable");
      assertThat(down.lastErrorMessage().orElseThrow()).hasSize(500);
      assertThatThrownBy(() -> states.failed(env, "items", IndexState.READY, "x", "y"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ingest_records_bufferedAndCoalescedIntoOneQueuedJob(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      IngestReceipt first = queue.ingest(env, "items", SyncMode.RECORDS, changes("1", false, "2", true), "req-1", DEBOUNCE);
      f.clock.advance(Duration.ofMillis(500));
      IngestReceipt second = queue.ingest(env, "items", SyncMode.RECORDS, changes("3", false), "req-2", DEBOUNCE);

      assertThat(first.status()).isEqualTo(IngestReceipt.QUEUED);
      assertThat(second.status()).isEqualTo(IngestReceipt.QUEUED);
      assertThat(second.jobId()).isEqualTo(first.jobId());
      assertThat(first.changesBuffered()).isEqualTo(2);
      assertThat(queue.pendingChanges(env, "items")).isEqualTo(3);
      List<BufferedChange> buffered = queue.changes(env, "items", 10);
      assertThat(buffered).extracting(BufferedChange::recordId).containsExactly("1", "2", "3");
      assertThat(buffered).extracting(BufferedChange::delete).containsExactly(false, true, false);
      // Debounced: not due until 2 s after the last call.
      assertThat(queue.due(10)).isEmpty();
      f.clock.advance(Duration.ofMillis(1999));
      assertThat(queue.due(10)).isEmpty();
      f.clock.advance(Duration.ofMillis(1));
      assertThat(queue.due(10)).extracting(SyncRequest::id).containsExactly(first.jobId());
      assertThat(new IndexStateStore(f.store.dataSource(), f.clock).get(env, "items").orElseThrow().pendingChanges())
          .isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ingest_constantStream_heldAtMostTheMaxHold(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      String job = queue.ingest(env, "items", SyncMode.INCREMENTAL, Map.of(), "r", DEBOUNCE).jobId();
      for (int i = 0; i < 12; i++) {
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(queue.ingest(env, "items", SyncMode.INCREMENTAL, Map.of(), "r", DEBOUNCE).jobId()).isEqualTo(job);
      }
      // 12 s after the first call: the 10 s hold has passed although the last call was just now.
      assertThat(queue.due(10)).extracting(SyncRequest::id).containsExactly(job);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ingest_secondFullWhilePending_deduplicated(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      IngestReceipt a = queue.ingest(env, "items", SyncMode.FULL, Map.of(), "r", DEBOUNCE);
      IngestReceipt b = queue.ingest(env, "items", SyncMode.FULL, Map.of(), "r", DEBOUNCE);
      assertThat(a.status()).isEqualTo(IngestReceipt.QUEUED);
      assertThat(b.status()).isEqualTo(IngestReceipt.DEDUPLICATED);
      assertThat(b.jobId()).isEqualTo(a.jobId());
      // Once claimed (running) it is no longer pending: the next full queues a new job.
      f.clock.advance(DEBOUNCE);
      assertThat(queue.claim(a.jobId())).isTrue();
      assertThat(queue.claim(a.jobId())).isFalse();
      IngestReceipt c = queue.ingest(env, "items", SyncMode.FULL, Map.of(), "r", DEBOUNCE);
      assertThat(c.status()).isEqualTo(IngestReceipt.QUEUED);
      assertThat(c.jobId()).isNotEqualTo(a.jobId());
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ingest_concurrentCalls_oneJob(TestDatabase.Kind kind) throws Exception {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<IngestReceipt>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          String id = Integer.toString(i);
          calls.add(pool.submit(() -> queue.ingest(env, "items", SyncMode.RECORDS, changes(id, false), "r", DEBOUNCE)));
        }
        List<String> jobs = new ArrayList<>();
        for (Future<IngestReceipt> c : calls) {
          jobs.add(c.get().jobId());
        }
        assertThat(jobs).containsOnly(jobs.get(0));
        assertThat(queue.jobs(env, "items")).hasSize(1);
        assertThat(queue.pendingChanges(env, "items")).isEqualTo(40);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void consumeChanges_uptoSeq_leavesLaterOnes(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      queue.ingest(env, "items", SyncMode.RECORDS, changes("1", false, "2", false), "r", DEBOUNCE);
      long seq = queue.changes(env, "items", 10).get(1).seq();
      queue.ingest(env, "items", SyncMode.RECORDS, changes("3", true), "r", DEBOUNCE);
      assertThat(queue.consumeChanges(env, "items", seq)).isEqualTo(2);
      assertThat(queue.changes(env, "items", 10)).extracting(BufferedChange::recordId).containsExactly("3");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void request_cli_unpausesAndIsDueNow_requeueRunningAfterCrash(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      IndexStateStore states = new IndexStateStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      states.ensure(env, "items");
      String id = queue.request(env, "items", SyncMode.SMART, SyncRequest.ORIGIN_CLI);
      assertThat(states.get(env, "items").orElseThrow().paused()).isFalse();
      assertThat(queue.due(10)).extracting(SyncRequest::id).containsExactly(id);
      assertThat(queue.claim(id)).isTrue();
      assertThat(queue.hasOpenJob(env, "items")).isTrue();
      assertThat(queue.requeueRunning()).isEqualTo(1);
      assertThat(queue.find(id).orElseThrow().status()).isEqualTo(SyncRequest.QUEUED);
      assertThat(queue.claim(id)).isTrue();
      queue.finish(id, Optional.of("source_unreachable"));
      SyncRequest done = queue.find(id).orElseThrow();
      assertThat(done.status()).isEqualTo(SyncRequest.FAILED);
      assertThat(done.errorCode()).contains("source_unreachable");
      assertThat(done.finished()).isTrue();
      assertThat(queue.hasOpenJob(env, "items")).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"H2", "POSTGRES"})
  void ingest_invalid_refusedAndNothingWritten(TestDatabase.Kind kind) {
    try (StoreFixture f = new StoreFixture(kind)) {
      SyncQueueStore queue = new SyncQueueStore(f.store.dataSource(), f.clock);
      String env = f.devEnvId();
      assertThatThrownBy(() -> queue.ingest(env, "items", SyncMode.RECORDS, changes("1", false, "x".repeat(4097), false),
          "r", DEBOUNCE)).isInstanceOf(LensgateException.class);
      assertThatThrownBy(() -> queue.ingest(env, "items", SyncMode.FULL, changes("1", false), "r", DEBOUNCE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(queue.pendingChanges(env, "items")).isZero();
      assertThat(queue.jobs(env, "items")).isEmpty();
    }
  }
}
