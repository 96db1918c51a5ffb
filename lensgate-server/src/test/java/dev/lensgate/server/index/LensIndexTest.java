package dev.lensgate.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LensIndexTest {
  static final dev.lensgate.core.config.LensConfig LENS = dev.lensgate.core.config.ConfigLoader.parse(
      "stack: lensgate/v1\n"
      + "sources:\n  main: { type: h2 }\n"
      + "lenses:\n  products:\n    source: main\n    table: products\n    primaryKey: id\n"
      + "    fields:\n      id: { type: integer }\n      title: { type: string }\n      price: { type: number }\n"
      + "      at: { type: timestamp }\n      day: { type: date }\n      ok: { type: boolean }\n"
      + "      gone: { type: string }\n", "t.yaml").config().orElseThrow().lens("products").orElseThrow();
  @TempDir Path dir;

  static IndexRecord record(String id, String text, String hash) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", Long.parseLong(id));
    row.put("title", text);
    row.put("price", new BigDecimal("1.50"));
    row.put("at", Instant.parse("2024-05-01T10:00:00Z"));
    row.put("day", LocalDate.parse("2024-05-01"));
    row.put("ok", true);
    row.put("gone", null);
    return new IndexRecord(id, row, text, Optional.of(new float[] {1f, 0f, 0f}), hash);
  }

  @Test
  void firstWriteBeforeTheSchemaIsKnown_createsNothing_andLeavesNoLockBehind() throws Exception {
    Path lensDir = dir.resolve("env1").resolve("products");
    try (LensIndex index = LensIndex.open(lensDir)) {
      assertThatThrownBy(() -> index.delete(List.of("1"))).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("schema");
      assertThat(index.built()).isFalse();
    }
    try (Stream<Path> left = Files.exists(lensDir) ? Files.list(lensDir) : Stream.empty()) {
      assertThat(left).as("generation directories left behind").isEmpty();
    }
    // Nothing is locked: the same directory opens and takes writes once the schema is known.
    try (LensIndex index = LensIndex.open(lensDir)) {
      index.useSchema(LENS.schema());
      index.upsert(List.of(record("1", "red shoe", "h1")));
      index.delete(List.of("1"));
      assertThat(index.documentCount()).isZero();
    }
  }

  @Test
  void upsert_thenSearcher_seesRowHashAndVectorImmediately() {
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndexWriter w = indexes.writer("env1", LENS);
      assertThat(w.documentCount()).isZero();
      assertThat(indexes.index("env1", LENS).built()).isFalse();
      w.upsert(List.of(record("1", "red shoe", "h1"), record("2", "blue hat", "h2")));
      w.upsert(List.of(record("1", "red shoes", "h1b")));
      assertThat(w.documentCount()).isEqualTo(2);
      assertThat(w.contentHashes(List.of("1", "2", "3"))).isEqualTo(Map.of("1", "h1b", "2", "h2"));
      try (LensSearcher s = indexes.index("env1", LENS).acquire().orElseThrow()) {
        int doc = s.docOf("1").orElseThrow();
        StoredDocument d = s.document(doc);
        assertThat(d.row()).containsEntry("title", "red shoes").containsEntry("id", 1L)
            .containsEntry("price", new BigDecimal("1.50")).containsEntry("at", Instant.parse("2024-05-01T10:00:00Z"))
            .containsEntry("day", LocalDate.parse("2024-05-01")).containsEntry("ok", true).containsEntry("gone", null);
        assertThat(new ArrayList<>(d.row().keySet())).containsExactly("id", "title", "price", "at", "day", "ok", "gone");
        assertThat(s.vector(doc).orElseThrow()).containsExactly(1f, 0f, 0f);
      }
      w.delete(List.of("2", "unknown"));
      Set<String> ids = new HashSet<>();
      w.forEachId(ids::add);
      assertThat(ids).containsExactly("1");
    }
  }

  @Test
  void rebuild_commitAndSwap_replacesContentAndDeletesOldGeneration() throws Exception {
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndex index = indexes.index("env1", LENS);
      index.upsert(List.of(record("1", "old", "h")));
      long first = index.generation().orElseThrow();
      LensSearcher held = index.acquire().orElseThrow();
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3")) {
        r.add(List.of(record("7", "new", "h7"), record("8", "new", "h8")));
        assertThat(index.documentCount()).isEqualTo(1); // not visible before the swap
        r.commitAndSwap();
      }
      assertThat(index.documentCount()).isEqualTo(2);
      assertThat(index.embedderId()).contains("fake:3");
      // The held searcher still reads the old generation, whose directory survives until released.
      assertThat(held.searcher().getIndexReader().numDocs()).isEqualTo(1);
      assertThat(held.document(held.docOf("1").orElseThrow()).row()).containsEntry("title", "old");
      assertThat(Files.exists(GenerationDirs.dir(index.directory(), first))).isTrue();
      held.close();
      assertThat(Files.exists(GenerationDirs.dir(index.directory(), first))).isFalse();
    }
  }

  @Test
  void rebuild_closedWithoutSwap_discardsNewGeneration() throws Exception {
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndex index = indexes.index("env1", LENS);
      index.upsert(List.of(record("1", "old", "h")));
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3")) {
        r.add(List.of(record("7", "new", "h7")));
        assertThatThrownBy(() -> index.beginRebuild("again")).isInstanceOf(IllegalStateException.class);
      }
      assertThat(index.documentCount()).isEqualTo(1);
      assertThat(index.embedderId()).isEmpty();
      try (Stream<Path> children = Files.list(index.directory())) {
        assertThat(children.filter(Files::isDirectory).count()).isEqualTo(1);
      }
      // A new rebuild can start after the discarded one.
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3")) {
        r.commitAndSwap();
      }
      assertThat(index.documentCount()).isZero();
    }
  }

  @Test
  void upsertDuringRebuild_survivesTheSwap() {
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndex index = indexes.index("env1", LENS);
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3")) {
        r.add(List.of(record("1", "a", "h1")));
        index.upsert(List.of(record("2", "arrived during rebuild", "h2")));
        index.delete(List.of("1"));
        r.commitAndSwap();
      }
      Set<String> ids = new HashSet<>();
      index.forEachId(ids::add);
      assertThat(ids).containsExactly("2");
    }
  }

  @Test
  void restart_opensLastCommittedGeneration_andDropsLeftovers() throws Exception {
    long generation;
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndex index = indexes.index("env1", LENS);
      index.upsert(List.of(record("1", "first", "h")));
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3")) {
        r.add(List.of(record("2", "second", "h2")));
        r.commitAndSwap();
      }
      index.upsert(List.of(record("3", "third", "h3")));
      generation = index.generation().orElseThrow();
      // An abandoned rebuild (crash before its swap) leaves a directory behind.
      LensIndexWriter.Rebuild abandoned = index.beginRebuild("other:1");
      abandoned.add(List.of(record("9", "never", "h9")));
    }
    Path leftover = GenerationDirs.dir(dir.resolve("env1").resolve("products"), generation + 1);
    Files.createDirectories(leftover);
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndex index = indexes.index("env1", LENS);
      assertThat(index.generation()).contains(generation);
      assertThat(index.embedderId()).contains("fake:3");
      Set<String> ids = new HashSet<>();
      index.forEachId(ids::add);
      assertThat(ids).containsExactlyInAnyOrder("2", "3");
      assertThat(Files.exists(leftover)).isFalse();
    }
  }

  @Test
  void environments_haveSeparateDirectories() {
    try (LensIndexes indexes = new LensIndexes(dir)) {
      indexes.writer("envA", LENS).upsert(List.of(record("1", "a", "h")));
      indexes.writer("envB", LENS).upsert(List.of(record("2", "b", "h")));
      assertThat(indexes.index("envA", LENS).directory()).isNotEqualTo(indexes.index("envB", LENS).directory());
      assertThat(indexes.writer("envA", LENS).contentHashes(List.of("1", "2"))).containsOnlyKeys("1");
      assertThat(indexes.writer("envB", LENS).contentHashes(List.of("1", "2"))).containsOnlyKeys("2");
      assertThatThrownBy(() -> indexes.writer("../x", LENS)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> indexes.writer("envA", "a/b")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rebuild_shapeChangedBeforeTheSwap_refusesAndKeepsTheCurrentGeneration_sameShapeSwaps() {
    dev.lensgate.core.config.LensConfig priceAsText = dev.lensgate.core.config.ConfigLoader.parse(
        "stack: lensgate/v1\n"
        + "sources:\n  main: { type: h2 }\n"
        + "lenses:\n  products:\n    source: main\n    table: products\n    primaryKey: id\n"
        + "    fields:\n      id: { type: integer }\n      title: { type: string }\n      price: { type: string }\n"
        + "      at: { type: timestamp }\n      day: { type: date }\n      ok: { type: boolean }\n"
        + "      gone: { type: string }\n", "t.yaml").config().orElseThrow().lens("products").orElseThrow();
    try (LensIndexes indexes = new LensIndexes(dir)) {
      LensIndex index = indexes.index("env1", LENS);
      index.upsert(List.of(record("1", "old", "h")));
      long first = index.generation().orElseThrow();
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3", LENS.schema())) {
        r.add(List.of(record("2", "new", "h2")));
        indexes.index("env1", priceAsText); // a lookup under a config with another shape
        assertThatThrownBy(r::commitAndSwap).isInstanceOf(RebuildOutdatedException.class);
      }
      assertThat(index.generation()).contains(first);
      assertThat(index.contentHashes(List.of("1", "2"))).containsOnlyKeys("1");
      assertThat(GenerationDirs.numbers(index.directory())).containsExactly(first);
      // Written for the shape that is active at the swap: swapped in.
      try (LensIndexWriter.Rebuild r = index.beginRebuild("fake:3", priceAsText.schema())) {
        Map<String, Object> row = new LinkedHashMap<>(record("3", "text", "h3").row());
        row.put("price", "cheap");
        r.add(List.of(new IndexRecord("3", row, "text", Optional.empty(), "h3")));
        r.commitAndSwap();
      }
      assertThat(index.generation().orElseThrow()).isGreaterThan(first);
      assertThat(index.schemaFingerprint()).contains(SchemaFingerprint.of(priceAsText.schema()));
    }
  }
}
