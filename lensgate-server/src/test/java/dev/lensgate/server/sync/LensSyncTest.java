package dev.lensgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.error.ErrorCode;
import dev.lensgate.server.execute.SourceConnection;
import dev.lensgate.server.execute.SourcePools;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each sync mode against a real source table, the real index and a counting fake embedder. */
class LensSyncTest {
  private static final int ROWS = 1200; // more than two batches

  @TempDir Path dir;

  private static Set<String> ids(SyncFixture f) {
    Set<String> ids = new HashSet<>();
    f.writer().forEachId(ids::add);
    return ids;
  }

  private static long count(SyncFixture f, ChangeListener.ChangeEvent.Kind kind) {
    return f.events.stream().filter(e -> e.kind() == kind).count();
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRES", "MARIADB"})
  void smart_neverBuiltIndex_runsFullAndBuildsAll(TestDatabase.Kind kind) {
    try (SyncFixture f = new SyncFixture(kind, dir)) {
      f.insert(1, ROWS);
      SyncResult r = f.run(SyncMode.SMART);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.mode()).isEqualTo(SyncMode.FULL);
      assertThat(r.rowsRead()).isEqualTo(ROWS);
      assertThat(f.writer().documentCount()).isEqualTo(ROWS);
      assertThat(f.writer().embedderId()).contains("fake:8:v1");
      assertThat(f.embedder.get().texts()).isEqualTo(ROWS);
      assertThat(f.status().state()).isEqualTo(IndexState.READY);
      assertThat(f.status().documents()).isEqualTo(ROWS);
      assertThat(f.status().cursor()).contains("1");
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.INSERT)).isEqualTo(ROWS);
      System.out.printf("full sync of %d rows on %s: %d rows/s%n", ROWS, kind, r.rowsPerSecond());
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRES", "MARIADB"})
  void smart_afterChanges_embedsOnlyChangedRowsAndDeletesTombstones(TestDatabase.Kind kind) {
    try (SyncFixture f = new SyncFixture(kind, dir)) {
      f.insert(1, ROWS);
      f.run(SyncMode.FULL);
      long embeddedBefore = f.embedder.get().texts();
      f.events.clear();
      f.source.execute("UPDATE items SET body = 'changed' WHERE id IN (3, 600, 1100)",
          "DELETE FROM items WHERE id IN (10, 11)");
      f.insert(5000, 5000);

      SyncResult r = f.run(SyncMode.SMART);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.mode()).isEqualTo(SyncMode.SMART);
      assertThat(f.embedder.get().texts() - embeddedBefore).isEqualTo(4);
      assertThat(r.upserted()).isEqualTo(4);
      assertThat(r.deleted()).isEqualTo(2);
      assertThat(ids(f)).contains("5000", "3").doesNotContain("10", "11").hasSize(ROWS - 1);
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.UPDATE)).isEqualTo(3);
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.INSERT)).isEqualTo(1);
      // An update and a delete carry the row as it was indexed before, for the streams' "who saw it".
      assertThat(f.events).filteredOn(e -> e.kind() == ChangeListener.ChangeEvent.Kind.UPDATE)
          .allSatisfy(e -> assertThat(e.before().orElseThrow().get("body")).isNotEqualTo("changed"))
          .allSatisfy(e -> assertThat(e.after().orElseThrow().get("body")).isEqualTo("changed"));
      assertThat(f.events).filteredOn(e -> e.kind() == ChangeListener.ChangeEvent.Kind.DELETE)
          .extracting(e -> e.before().orElseThrow().get("id").toString()).containsExactlyInAnyOrder("10", "11");
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.DELETE)).isEqualTo(2);
      // Nothing changed since: a third run embeds nothing and emits nothing.
      f.events.clear();
      long calls = f.embedder.get().calls();
      assertThat(f.run(SyncMode.SMART).upserted()).isZero();
      assertThat(f.embedder.get().calls()).isEqualTo(calls);
      assertThat(f.events).isEmpty();
    }
  }

  @Test
  void full_sameEmbedder_reusesVectorsOfUnchangedRowsAndEmbedsOnlyChangedOnes() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, ROWS);
      f.run(SyncMode.FULL);
      long embedded = f.embedder.get().texts();
      f.events.clear();
      SyncResult again = f.run(SyncMode.FULL);
      assertThat(again.ok()).as("%s", again).isTrue();
      assertThat(f.embedder.get().texts()).isEqualTo(embedded);
      assertThat(f.events).isEmpty();
      f.source.execute("UPDATE items SET title = 'moved' WHERE id IN (17, 1001)");
      SyncResult changed = f.run(SyncMode.FULL);
      assertThat(changed.mode()).isEqualTo(SyncMode.FULL);
      assertThat(f.embedder.get().texts() - embedded).isEqualTo(2);
      assertThat(f.writer().documentCount()).isEqualTo(ROWS);
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.UPDATE)).isEqualTo(2);
    }
  }

  @Test
  void incremental_picksOnlyAdvancedRowsAndPersistsTheCursor() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, ROWS);
      f.run(SyncMode.FULL);
      assertThat(f.status().cursor()).contains("1");
      long embeddedBefore = f.embedder.get().texts();
      // Two rows advance their version; one changes at the cursor's own value (1), which
      // incremental re-reads inclusively, so it is seen too.
      f.source.execute("UPDATE items SET title = 'new', version = 5 WHERE id = 7",
          "UPDATE items SET title = 'newer', version = 6 WHERE id = 900",
          "UPDATE items SET title = 'at the cursor' WHERE id = 9");

      SyncResult r = f.run(SyncMode.INCREMENTAL);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
      // Reads from the cursor (1) inclusive: every row, but only the three changed ones count.
      assertThat(r.rowsRead()).isEqualTo(ROWS);
      assertThat(r.upserted()).isEqualTo(3);
      assertThat(f.embedder.get().texts() - embeddedBefore).isEqualTo(3);
      assertThat(f.status().cursor()).contains("6");
      // A change below the cursor without advancing the version: incremental cannot see it.
      String hash8 = f.writer().contentHashes(List.of("8")).get("8");
      f.source.execute("UPDATE items SET title = 'silent' WHERE id = 8");
      // The cursor is durable: a new run re-reads only the row at the cursor and changes nothing.
      f.events.clear();
      SyncResult again = f.run(SyncMode.INCREMENTAL);
      assertThat(again.rowsRead()).isEqualTo(1);
      assertThat(again.upserted()).isZero();
      assertThat(f.events).isEmpty();
      assertThat(f.writer().contentHashes(List.of("8")).get("8")).isEqualTo(hash8);
      f.source.execute("UPDATE items SET version = 7 WHERE id = 8");
      SyncResult next = f.run(SyncMode.INCREMENTAL);
      assertThat(next.rowsRead()).isEqualTo(2); // row 900 at the cursor (6) again, and row 8
      assertThat(next.upserted()).isEqualTo(1);
      assertThat(f.writer().contentHashes(List.of("8")).get("8")).isNotEqualTo(hash8);
      assertThat(f.status().cursor()).contains("7");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRES", "MARIADB"})
  void incremental_rowCommittedLaterWithTheCursorsValue_isPickedUpAndTiesAreNotReembedded(TestDatabase.Kind kind) {
    try (SyncFixture f = new SyncFixture(kind, dir)) {
      f.insert(1, ROWS);
      f.run(SyncMode.FULL);
      f.source.execute("UPDATE items SET title = 'moved', version = 9 WHERE id IN (5, 6)");
      assertThat(f.run(SyncMode.INCREMENTAL).upserted()).isEqualTo(2);
      assertThat(f.status().cursor()).contains("9");
      long embedded = f.embedder.get().texts();
      f.events.clear();
      // Committed after that sync with the cursor's own value: a strict "> cursor" would miss it.
      f.source.execute("INSERT INTO items (id, title, body, version) VALUES (7000, 'late', 'late row', 9)");

      SyncResult r = f.run(SyncMode.INCREMENTAL);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
      assertThat(r.rowsRead()).isEqualTo(3);
      assertThat(r.upserted()).isEqualTo(1);
      assertThat(f.embedder.get().texts() - embedded).isEqualTo(1);
      assertThat(f.writer().contentHashes(List.of("7000"))).containsKey("7000");
      assertThat(f.events).singleElement().satisfies(e -> {
        assertThat(e.kind()).isEqualTo(ChangeListener.ChangeEvent.Kind.INSERT);
        assertThat(e.id()).isEqualTo("7000");
      });
      assertThat(f.status().cursor()).contains("9");
    }
  }

  @Test
  void records_upsertRereadsTheSourceAndGoneRowsAndDeletesAreRemoved() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 20);
      f.run(SyncMode.FULL);
      f.events.clear();
      String hash5 = f.writer().contentHashes(List.of("5")).get("5");
      f.source.execute("UPDATE items SET body = 'edited' WHERE id = 5", "DELETE FROM items WHERE id = 6");
      f.insert(9999, 9999);
      Map<String, Boolean> changes = new java.util.LinkedHashMap<>();
      changes.put("5", false);
      changes.put("6", false);
      changes.put("9999", false);
      changes.put("7", true);
      changes.put("not-a-number", false);
      f.queue.ingest(f.env(), "items", SyncMode.RECORDS, changes, "req", Duration.ZERO);
      long embeddedBefore = f.embedder.get().texts();

      SyncResult r = f.run(SyncMode.RECORDS);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.mode()).isEqualTo(SyncMode.RECORDS);
      assertThat(f.writer().contentHashes(List.of("5")).get("5")).isNotEqualTo(hash5);
      assertThat(ids(f)).contains("5", "9999").doesNotContain("6", "7", "not-a-number").hasSize(19);
      assertThat(f.embedder.get().texts() - embeddedBefore).isEqualTo(2);
      assertThat(f.queue.pendingChanges(f.env(), "items")).isZero();
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.UPDATE)).isEqualTo(1);
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.INSERT)).isEqualTo(1);
      assertThat(count(f, ChangeListener.ChangeEvent.Kind.DELETE)).isEqualTo(2);
    }
  }

  @Test
  void embedderChange_anyMode_rebuildsWithTheNewEmbedder() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 50);
      f.run(SyncMode.FULL);
      f.embedder.set(new FakeEmbedder("fake:8:v2"));

      SyncResult r = f.run(SyncMode.INCREMENTAL);

      assertThat(r.mode()).isEqualTo(SyncMode.FULL);
      assertThat(f.embedder.get().texts()).isEqualTo(50);
      assertThat(f.writer().embedderId()).contains("fake:8:v2");
      assertThat(f.writer().documentCount()).isEqualTo(50);
      assertThat(f.status().embedderId()).contains("fake:8:v2");
    }
  }

  @Test
  void sourceDown_disconnectedAndTheOldIndexKept() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 30);
      f.run(SyncMode.FULL);
      try (SourcePools down = new SourcePools((env, name) -> new SourceConnection("jdbc:postgresql://127.0.0.1:1/none",
          "nobody", "wrong".toCharArray()), Duration.ofSeconds(1), 1)) {
        for (SyncMode mode : List.of(SyncMode.SMART, SyncMode.INCREMENTAL, SyncMode.FULL)) {
          SyncResult r = f.newSync(down).run(f.env(), f.lens, mode);
          assertThat(r.error()).as(mode.wireName()).contains(ErrorCode.SOURCE_UNREACHABLE);
          assertThat(f.status().state()).isEqualTo(IndexState.DISCONNECTED);
          assertThat(f.status().lastErrorCode()).contains("source_unreachable");
          assertThat(f.writer().documentCount()).isEqualTo(30);
          assertThat(f.status().documents()).isEqualTo(30);
        }
      }
      // Back: the next sync recovers.
      assertThat(f.run(SyncMode.SMART).ok()).isTrue();
      assertThat(f.status().state()).isEqualTo(IndexState.READY);
      assertThat(f.status().lastErrorCode()).isEmpty();
    }
  }

  @Test
  void wrongCredentials_disconnected() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 5);
      f.run(SyncMode.FULL);
      try (SourcePools badPassword = new SourcePools((env, name) -> new SourceConnection(
          f.source.jdbcUrl().replace("127.0.0.1:5432/", "127.0.0.1:5432/no_such_db_"), "no_such_role",
          "wrong".toCharArray()), Duration.ofSeconds(2), 1)) {
        SyncResult r = f.newSync(badPassword).run(f.env(), f.lens, SyncMode.SMART);
        assertThat(r.error()).contains(ErrorCode.SOURCE_UNREACHABLE);
        assertThat(f.status().state()).isEqualTo(IndexState.DISCONNECTED);
        assertThat(f.writer().documentCount()).isEqualTo(5);
      }
    }
  }

  @Test
  void embeddingFails_errorAndNoBatchHalfApplied() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 30);
      f.run(SyncMode.FULL);
      Map<String, String> before = f.writer().contentHashes(List.of("1", "2", "3"));
      f.source.execute("UPDATE items SET body = 'x' WHERE id IN (1, 2, 3)");
      f.embedder.get().failing(true);
      f.events.clear();

      SyncResult r = f.run(SyncMode.SMART);

      assertThat(r.error()).contains(ErrorCode.EMBEDDING_FAILED);
      assertThat(f.status().state()).isEqualTo(IndexState.ERROR);
      assertThat(f.status().lastErrorCode()).contains("embedding_failed");
      assertThat(f.writer().contentHashes(List.of("1", "2", "3"))).isEqualTo(before);
      assertThat(f.events).isEmpty();
    }
  }

  @Test
  void lensWithoutSearchableFields_syncsWithoutAnyEmbedder() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 10);
      dev.lensgate.core.config.LensConfig plain = SyncFixture.lens(String.format(SyncFixture.ENV_YAML, "postgres")
          .replace("title: { type: string, searchable: { weight: 2 } }", "title: { type: string }")
          .replace("body: { type: string, searchable: true }", "body: { type: string }"));
      f.embedder.get().failing(true);
      LensSync noEmbedder = new LensSync(new LensSourceRows(new dev.lensgate.server.execute.LensReader(f.pools,
          new dev.lensgate.core.plan.ReadPlanner(new dev.lensgate.core.plan.CursorCodec(new byte[32]))), f.pools,
          java.util.Optional.empty()), f.indexes::writer, (env, l) -> {
            throw new dev.lensgate.core.error.LensgateException(ErrorCode.EMBEDDING_FAILED, "no embedder");
          }, f.states, f.queue, ChangeListener.NONE, LensSync.DEFAULT_BATCH_ROWS);

      SyncResult r = noEmbedder.run(f.env(), plain, SyncMode.SMART);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.embedded()).isZero();
      assertThat(f.indexes.writer(f.env(), plain).documentCount()).isEqualTo(10);
      assertThat(f.embedder.get().calls()).isZero();
    }
  }

  @Test
  void indexFault_errorInternalNotStuckIndexing() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 3);
      f.run(SyncMode.FULL);
      LensSync broken = new LensSync(new LensSourceRows(new dev.lensgate.server.execute.LensReader(f.pools,
          new dev.lensgate.core.plan.ReadPlanner(new dev.lensgate.core.plan.CursorCodec(new byte[32]))), f.pools,
          java.util.Optional.empty()), (env, l) -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
          }, (env, l) -> f.embedder.get(), f.states, f.queue, ChangeListener.NONE, LensSync.DEFAULT_BATCH_ROWS);

      SyncResult r = broken.run(f.env(), f.lens, SyncMode.SMART);

      assertThat(r.error()).contains(ErrorCode.INTERNAL);
      assertThat(f.status().state()).isEqualTo(IndexState.ERROR);
      assertThat(f.status().lastErrorCode()).contains("internal_error");
      assertThat(f.status().lastErrorMessage().orElseThrow()).doesNotContain("disk");
      assertThat(f.writer().documentCount()).isEqualTo(3);
    }
  }

  @Test
  void recordText_weightsRepeatSearchableShapedValues_hashCoversRowAndEmbedder() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("id", 1L);
      row.put("title", "Red kettle");
      row.put("body", "boils water");
      row.put("version", 3L);
      assertThat(RecordBuilder.text(f.lens, row)).isEqualTo("Red kettle\nRed kettle\nboils water");
      String h = RecordBuilder.build(f.lens, row, "a").contentHash();
      assertThat(RecordBuilder.build(f.lens, row, "a").contentHash()).isEqualTo(h);
      assertThat(RecordBuilder.build(f.lens, row, "b").contentHash()).isNotEqualTo(h);
      Map<String, Object> other = new java.util.LinkedHashMap<>(row);
      other.put("version", 4L);
      assertThat(RecordBuilder.build(f.lens, other, "a").contentHash()).isNotEqualTo(h);
      other.put("version", null);
      assertThat(RecordBuilder.build(f.lens, other, "a").contentHash()).isNotEqualTo(h);
    }
  }
}
