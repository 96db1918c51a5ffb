package dev.lensgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lensgate.core.config.LensConfig;
import dev.lensgate.core.plan.CursorCodec;
import dev.lensgate.core.plan.ReadPlanner;
import dev.lensgate.core.where.Filter;
import dev.lensgate.core.where.Filters;
import dev.lensgate.server.execute.LensReader;
import dev.lensgate.server.index.LensIndexWriter;
import dev.lensgate.server.index.SchemaFingerprint;
import dev.lensgate.server.search.SearchEngine;
import dev.lensgate.server.search.SearchMode;
import dev.lensgate.server.search.SearchRequest;
import dev.lensgate.server.search.SearchResult;
import dev.lensgate.server.search.SimilarRequest;
import dev.lensgate.server.store.IndexState;
import dev.lensgate.server.store.SyncMode;
import dev.lensgate.testkit.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lens whose field types change (a config pushed without a rebuild): search and similar answer
 * the old index as stale instead of failing, and the next sync of any mode rebuilds it like an
 * embedder change, after which search works with the new types.
 */
class SchemaChangeSyncTest {
  @TempDir Path dir;

  static LensConfig versionAsNumber() {
    return SyncFixture.lens(String.format(SyncFixture.ENV_YAML, "postgres")
        .replace("version: { type: integer }", "version: { type: number }"));
  }

  static SearchResult keyword(SearchEngine engine, SyncFixture f, LensConfig lens) {
    return engine.search(f.env(), lens, new SearchRequest("title", 10, 0, SearchMode.KEYWORD, Filters.matchAll()),
        Optional.empty());
  }

  @Test
  void fieldTypeChange_searchIsStaleNotAFailure_thenIncrementalSyncRebuilds_andSearchServesNewTypes() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 40);
      assertThat(f.run(SyncMode.FULL).ok()).isTrue();
      SearchEngine engine = new SearchEngine(f.indexes, (env, l) -> f.embedder.get());
      assertThat(keyword(engine, f, f.lens).index()).isEqualTo(SearchResult.IndexView.READY);
      String before = f.writer().schemaFingerprint().orElseThrow();
      assertThat(before).isEqualTo(SchemaFingerprint.of(f.lens.schema()));

      LensConfig changed = versionAsNumber();
      assertThat(SchemaFingerprint.of(changed.schema())).isNotEqualTo(before);
      for (SearchMode mode : SearchMode.values()) {
        SearchResult stale = engine.search(f.env(), changed,
            new SearchRequest("title", 10, 0, mode, Filters.compare("version", Filter.CompareOp.GT, new BigDecimal("0"))), Optional.empty());
        assertThat(stale.index()).as(mode.wireName()).isEqualTo(SearchResult.IndexView.STALE);
        assertThat(stale.hits()).isEmpty();
      }
      SearchResult similar = engine.similar(f.env(), changed,
          new SimilarRequest("1", null, 5, 0, List.of(), Filters.matchAll()), Optional.empty());
      assertThat(similar.index()).isEqualTo(SearchResult.IndexView.STALE);
      assertThat(similar.hits()).isEmpty();

      SyncResult r = f.sync.run(f.env(), changed, SyncMode.INCREMENTAL);

      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.mode()).isEqualTo(SyncMode.FULL);
      LensIndexWriter writer = f.indexes.writer(f.env(), changed);
      assertThat(writer.schemaFingerprint()).contains(SchemaFingerprint.of(changed.schema()));
      assertThat(writer.documentCount()).isEqualTo(40);
      assertThat(f.status().state()).isEqualTo(IndexState.READY);
      SearchResult fresh = keyword(engine, f, changed);
      assertThat(fresh.index()).isEqualTo(SearchResult.IndexView.READY);
      assertThat(fresh.hits()).hasSize(10)
          .allSatisfy(h -> assertThat(h.document().row().get("version")).isInstanceOf(BigDecimal.class));
      SearchResult filtered = engine.search(f.env(), changed, new SearchRequest("title", 10, 0, SearchMode.KEYWORD,
          Filters.eq("id", 7L)), Optional.empty());
      assertThat(filtered.hits()).singleElement().satisfies(h -> assertThat(h.document().id()).isEqualTo("7"));

      // Same shape again: no further rebuild; incremental stays incremental.
      assertThat(f.sync.run(f.env(), changed, SyncMode.INCREMENTAL).mode()).isEqualTo(SyncMode.INCREMENTAL);
    }
  }

  @Test
  void sameShapeAfterRestart_fingerprintSurvives_andNoRebuildIsForced() {
    try (SyncFixture f = new SyncFixture(TestDatabase.Kind.POSTGRES, dir)) {
      f.insert(1, 10);
      f.run(SyncMode.FULL);
      f.indexes.close();
      try (dev.lensgate.server.index.LensIndexes reopened = new dev.lensgate.server.index.LensIndexes(dir)) {
        LensIndexWriter writer = reopened.writer(f.env(), f.lens);
        assertThat(writer.schemaFingerprint()).contains(SchemaFingerprint.of(f.lens.schema()));
        LensSourceRows rows = new LensSourceRows(new LensReader(f.pools, new ReadPlanner(new CursorCodec(new byte[32]))),
            f.pools, Optional.empty());
        LensSync sync = new LensSync(rows, reopened::writer, (env, l) -> f.embedder.get(), f.states, f.queue, e -> { },
            LensSync.DEFAULT_BATCH_ROWS);
        assertThat(sync.run(f.env(), f.lens, SyncMode.SMART).mode()).isEqualTo(SyncMode.SMART);
        LensConfig changed = versionAsNumber();
        assertThat(sync.run(f.env(), changed, SyncMode.SMART).mode()).isEqualTo(SyncMode.FULL);
      }
    }
  }
}
