package dev.lensgate.server.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of a lens index: its directory, writer and searcher manager. A retired
 * generation (replaced by a rebuild) is closed and its directory deleted once the last search
 * that acquired it has released it ({@link #inFlight} reaches zero); exactly once.
 */
final class Generation {
  private static final Logger LOG = LoggerFactory.getLogger(Generation.class);
  /**
   * Indexing buffer of a rebuild: ~30k documents of 384-d vectors per segment. Bounded so the
   * gateway stays within its memory target (1 GiB RSS) while a rebuild runs next to searches.
   */
  static final double BULK_RAM_BUFFER_MB = 64;

  final long number;
  final Path dir;
  final FSDirectory directory;
  final IndexWriter writer;
  private SearcherManager searchers;
  final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean retired;
  private final AtomicBoolean cleaned = new AtomicBoolean();
  /** From the commit user data: what the generation's documents were written with (or null). */
  private volatile String embedderId;
  private volatile String schemaFingerprint;

  private Generation(long number, Path dir, FSDirectory directory, IndexWriter writer) {
    this.number = number;
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
  }

  /** Opens (or, with {@code create}, creates empty) the generation in {@code dir}. */
  static Generation open(long number, Path dir, boolean create) throws IOException {
    return open(number, dir, create, false);
  }

  /**
   * Creates an empty generation for a full rebuild, in bulk mode: a large RAM buffer and no merges
   * until {@link #endBulk()}. Merging segments re-builds their HNSW graphs from scratch, which cost
   * as much CPU as building them (issue 4's profile); a rebuild of 100k rows now flushes a few
   * large segments and never merges them while it runs.
   */
  static Generation openForRebuild(long number, Path dir) throws IOException {
    return open(number, dir, true, true);
  }

  private static Generation open(long number, Path dir, boolean create, boolean bulk) throws IOException {
    Files.createDirectories(dir);
    FSDirectory directory = FSDirectory.open(dir);
    try {
      IndexWriterConfig config = new IndexWriterConfig(TextAnalysis.analyzer());
      config.setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      config.setCommitOnClose(false);
      config.setCodec(new IndexCodec());
      if (bulk) {
        config.setRAMBufferSizeMB(BULK_RAM_BUFFER_MB);
        config.setMergePolicy(NoMergePolicy.INSTANCE);
      }
      IndexWriter writer = new IndexWriter(directory, config);
      Generation g = new Generation(number, dir, directory, writer);
      g.embedderId = commitValue(writer, IndexFields.EMBEDDER_COMMIT_KEY);
      g.schemaFingerprint = commitValue(writer, IndexFields.SCHEMA_COMMIT_KEY);
      return g;
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * Leaves bulk mode (before the rebuilt generation is committed and serves): the default buffer
   * and merge policy again, so later small writes do not pile up segments. A few large segments
   * from the rebuild stay as they are (the merge policy leaves that few alone).
   */
  void endBulk() {
    writer.getConfig().setRAMBufferSizeMB(IndexWriterConfig.DEFAULT_RAM_BUFFER_SIZE_MB);
    writer.getConfig().setMergePolicy(new TieredMergePolicy());
  }

  /**
   * Records, for the next commit and for readers of this object, the embedder id (may be null:
   * unknown) and the {@link SchemaFingerprint} the documents are written with.
   */
  void stamp(String embedder, String fingerprint) {
    Map<String, String> data = new HashMap<>();
    if (embedder != null) {
      data.put(IndexFields.EMBEDDER_COMMIT_KEY, embedder);
    }
    data.put(IndexFields.SCHEMA_COMMIT_KEY, fingerprint);
    writer.setLiveCommitData(data.entrySet());
    embedderId = embedder;
    schemaFingerprint = fingerprint;
  }

  /** The embedder id the documents were built with; null when unknown (never built by a rebuild). */
  String embedderId() {
    return embedderId;
  }

  /** The schema fingerprint the documents were written with; null for a generation from before fingerprints. */
  String schemaFingerprint() {
    return schemaFingerprint;
  }

  private static String commitValue(IndexWriter writer, String key) {
    Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
    if (data == null) {
      return null;
    }
    for (Map.Entry<String, String> e : data) {
      if (key.equals(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Starts serving searches (after the first commit of a new generation). */
  void startSearching() throws IOException {
    searchers = new SearcherManager(writer, null);
  }

  SearcherManager searchers() {
    return searchers;
  }

  boolean retired() {
    return retired;
  }

  /** Marks the generation replaced; cleans up now if no search holds it. */
  void retire() {
    retired = true;
    if (inFlight.get() == 0) {
      cleanUp(true);
    }
  }

  /** Called after a search released it. */
  void released() {
    if (inFlight.decrementAndGet() == 0 && retired) {
      cleanUp(true);
    }
  }

  /** Closes everything; with {@code delete} also removes the directory. Idempotent. */
  void cleanUp(boolean delete) {
    if (!cleaned.compareAndSet(false, true)) {
      return;
    }
    try {
      if (searchers != null) {
        searchers.close();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing searchers of index generation {} failed", dir, e);
    }
    try {
      writer.rollback(); // everything that matters is committed; drop the rest
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing writer of index generation {} failed", dir, e);
    }
    try {
      directory.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing directory of index generation {} failed", dir, e);
    }
    if (delete) {
      deleteTree(dir);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("could not delete {}", p);
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete index directory {}", dir);
    }
  }
}
